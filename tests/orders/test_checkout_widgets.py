"""The checkout's inputs are written by orders/templatetags/checkout_widgets.py (issue 14) instead of Django's
widget templates: the same attributes, and catalog text escaped as those templates did."""

import re

import pytest
from django.urls import reverse

from apps.plans.models import AddOn, Feature
from tests.orders.factories import app_on_plan

pytestmark = pytest.mark.django_db


def checkout_url(app):
    return reverse("orders:checkout", kwargs={"org_name": app.organization.name, "app_name": app.name})


def test_add_on_inputs_show_catalog_names_and_units_with_markup_as_text(owner_client, app):
    Feature.objects.filter(code="group_members").update(unit_en="<u>members</u>")
    AddOn.objects.filter(code="group_members").update(name_en='Members <b>"more"</b>')
    app_on_plan(app, "pro")
    html = owner_client.get(checkout_url(app)).content.decode()
    select = re.search(r'<select name="addon_group_members".*?</select>', html, re.S).group(0)
    assert select.startswith('<select name="addon_group_members" class="form-select" '
                             'aria-describedby="id_addon_group_members_helptext" id="id_addon_group_members">')
    assert '<option value="" selected>None</option>' in select
    assert "3,000 &lt;u&gt;members&lt;/u&gt; · ¥" in select
    assert 'for="id_addon_group_members">Members &lt;b&gt;&quot;more&quot;&lt;/b&gt;</label>' in html
    assert "<u>" not in html and "<b>" not in html


def test_quantity_plan_radio_and_token_inputs_keep_their_attributes(owner_client, app):
    app_on_plan(app, "pro")
    html = owner_client.get(checkout_url(app), {"feature": "rest_rate"}).content.decode()
    assert re.search(r'<input type="number" name="addon_rest_rate" value="1" min="0" max="\d+" step="1" '
                     r'class="form-control" hx-preserve="true" aria-describedby="id_addon_rest_rate_helptext" '
                     r'id="id_addon_rest_rate">', html)
    assert ('<input type="radio" name="plan" value="" class="form-check-input plan-radio" id="id_plan_0" checked>'
            in html)
    assert re.search(r'<input type="hidden" name="token" value="[^"]+" id="id_token">', html)


def test_the_inputs_speak_chinese(owner_client, app):
    app_on_plan(app, "pro")
    html = owner_client.get(checkout_url(app), headers={"accept-language": "zh-hans"}).content.decode()
    select = re.search(r'<select name="addon_group_members".*?</select>', html, re.S).group(0)
    assert '<option value="" selected>无</option>' in select
    assert re.search(r'<option value="3000">3,000 人 · ¥[\d,.]+/月</option>', select)
