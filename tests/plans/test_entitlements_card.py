import pytest
from django.template import Context, Template
from django.utils import translation

from apps.plans.models import Plan
from orders.entitlements import app_entitlements
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory, add_addon_line

pytestmark = pytest.mark.django_db


def render_card(app) -> str:
    with translation.override("en"):
        return Template("{% load plans %}{% entitlements_card app entitlements %}").render(
            Context({"app": app, "entitlements": app_entitlements(app=app)}))


def test_card_of_a_free_app_shows_free_and_no_addons():
    html = render_card(AppFactory())
    assert "Free" in html
    assert "No add-ons in service." in html
    assert "<strong>100</strong> members" in html and "<strong>3</strong> days" in html


def test_card_shows_effective_values_and_the_addons_in_service():
    order = OrderFactory(plan=Plan.objects.get(code="flagship"))
    add_addon_line(order, "group_members", tier_value=8000)
    add_addon_line(order, "message_storage", quantity=10)
    html = render_card(order.app)
    assert "Flagship" in html
    assert "8,000" in html and "plan: 3,000" in html
    assert "<strong>390</strong> days" in html
    assert "10 units" in html
    assert "Unlimited" in html
