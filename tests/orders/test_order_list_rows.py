"""The order center's rows (orders.templatetags.order_rows): what a reader sees in each language, escaped."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.plans.models import Plan
from orders.models import Order
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory, add_addon_line


def order_list(client) -> str:
    return client.get(reverse("orders:order_list", kwargs={"org_name": "acme"})).content.decode()


@pytest.mark.django_db
def test_a_row_shows_the_orders_link_items_fees_status_and_time(owner_client, org):
    order = OrderFactory(app=AppFactory(organization=org, name="chat"),
                         created_at=dt.datetime(2026, 3, 1, 16, 5, tzinfo=dt.UTC))
    add_addon_line(order, "group_members", tier_value=8000)
    html = order_list(owner_client)
    detail = reverse("orders:order_detail", kwargs={"org_name": "acme", "number": order.number})
    assert f'<a class="mono" href="{detail}">{order.number}</a>' in html
    assert "<td>Pro + Members per group 8,000</td>" in html
    assert '<span class="badge badge-status-in_service">In service</span>' in html
    assert "2026-03-02 00:05" in html  # business time (Asia/Shanghai)
    assert 'hx-trigger="every 3s"' not in html


@pytest.mark.django_db
def test_a_provisioning_order_counts_down_in_chinese_and_the_rows_poll(owner_client, org, settings):
    OrderFactory(app=AppFactory(organization=org), status=Order.Status.PROVISIONING)
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = order_list(owner_client)
    assert '<span class="badge badge-status-provisioning">开通中</span> <span class="order-countdown' in html
    assert "还剩" in html and 'hx-trigger="every 3s"' in html
    assert f"<td>{Plan.objects.get(code='pro').name_zh}</td>" in html


@pytest.mark.django_db
def test_a_catalog_name_with_markup_is_shown_as_text(owner_client, org):
    Plan.objects.filter(code="pro").update(name_en="Pro <script>alert(1)</script>")
    OrderFactory(app=AppFactory(organization=org))
    html = order_list(owner_client)
    assert "<td>Pro &lt;script&gt;alert(1)&lt;/script&gt;</td>" in html
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
def test_no_orders_and_no_match_say_so(owner_client, org):
    assert "No orders yet. Upgrade an app to place the first one." in order_list(owner_client)
    OrderFactory(app=AppFactory(organization=org))
    url = reverse("orders:order_list", kwargs={"org_name": "acme"})
    assert "No orders match these filters." in owner_client.get(url + "?status=completed").content.decode()
