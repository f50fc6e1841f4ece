"""order_place: what an order records, idempotency, tokens, arrears, the provisioning delay."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from apps.audit.models import AuditEntry
from billing.models import LedgerEntry
from orders.exceptions import PurchaseNotAllowed
from orders.models import Order, OrderKey, OrderLine, OrderStatusChange
from orders.selectors import AddonRequest
from orders.services import provisioning_delay
from orders.tokens import checkout_token_issue
from tests.applications.factories import AppFactory
from tests.orders.factories import app_on_plan

# 2026-04-10 in Shanghai: April has 30 days, 21 of them left counting today.
APRIL_10 = dt.datetime(2026, 4, 10, 4, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
@time_machine.travel(APRIL_10, tick=False)
def test_order_copies_catalog_prices_onto_lines_and_computes_both_fees(app, buy):
    order = buy(app, "flagship", [AddonRequest(code="group_members", tier_value=5000),
                                  AddonRequest(code="message_storage", quantity=10)])
    lines = [(line.kind, line.unit_price, line.quantity, line.monthly_amount) for line in order.lines.all()]
    assert lines == [
        (OrderLine.Kind.PLAN, Decimal("2888.00"), 1, Decimal("2888.00")),
        (OrderLine.Kind.ADDON, Decimal("1200.00"), 1, Decimal("1200.00")),
        (OrderLine.Kind.ADDON, Decimal("500.00"), 10, Decimal("5000.00")),
    ]
    assert order.monthly_fee == Decimal("9088.00")
    assert order.estimated_fee == Decimal("6361.60")  # 9088 × 21 / 30
    assert order.purchase_date == dt.date(2026, 4, 10)


@pytest.mark.django_db
def test_catalog_price_changes_after_purchase_do_not_change_the_order(app, buy):
    from apps.plans.models import Plan

    order = buy(app, "pro")
    Plan.objects.filter(code="pro").update(monthly_price=Decimal("999.00"))
    order.refresh_from_db()
    assert order.lines.get().unit_price == Decimal("888.00")
    assert order.monthly_fee == Decimal("888.00")


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 3, 31, 17, 30, tzinfo=dt.UTC), tick=False)
def test_purchase_date_and_proration_follow_the_business_time_zone(app, buy):
    order = buy(app, "pro")  # 01:30 on 1 April in Shanghai: the whole of April is left
    assert order.purchase_date == dt.date(2026, 4, 1)
    assert order.estimated_fee == Decimal("888.00")


@pytest.mark.django_db
def test_new_order_is_provisioning_with_one_history_row_and_an_audit_entry(app, buy, owner):
    order = buy(app, "pro")
    assert order.status == Order.Status.PROVISIONING
    assert list(OrderStatusChange.objects.filter(order=order).values_list("from_status", "to_status")) == [
        ("", Order.Status.PROVISIONING)
    ]
    entry = AuditEntry.objects.get(action="order.place")
    assert (entry.organization, entry.app, entry.actor) == (app.organization, app, owner)
    assert order.number in entry.summary
    assert order.buyer == owner


@pytest.mark.django_db
def test_order_numbers_are_long_random_and_unique(app, buy, org):
    numbers = {buy(AppFactory(organization=org), "pro").number for _ in range(5)}
    assert len(numbers) == 5
    assert all(len(n) == 24 and n.isdigit() for n in numbers)
    assert len({n[8:] for n in numbers}) == 5


@pytest.mark.django_db
def test_an_order_number_taken_by_another_order_is_refused_by_the_database_and_nothing_is_kept(app, buy, org,
                                                                                                monkeypatch):
    first = buy(app, "pro")
    assert OrderKey.objects.get(order=first).number == first.number
    monkeypatch.setattr("orders.services.new_order_number", lambda at: first.number)
    with pytest.raises(PurchaseNotAllowed):
        buy(AppFactory(organization=org), "pro")
    assert list(Order.objects.values_list("number", flat=True)) == [first.number]
    assert OrderKey.objects.count() == 1


@pytest.mark.django_db
def test_the_order_row_keeps_no_unique_index_of_its_keys():
    """Issue 14: each status change adds an entry to every index of orders_order; the number's and the checkout
    key's unique indexes live on orders_orderkey, written once per order."""
    from django.db import connection

    with connection.cursor() as cursor:
        order_indexes = connection.introspection.get_constraints(cursor, Order._meta.db_table)
        key_indexes = connection.introspection.get_constraints(cursor, OrderKey._meta.db_table)
    indexed = {tuple(c["columns"]) for c in order_indexes.values() if c["index"] or c["unique"]}
    assert ("number",) not in indexed and ("idempotency_key",) not in indexed
    unique_keys = {tuple(c["columns"]) for c in key_indexes.values() if c["unique"] or c["primary_key"]}
    assert {("number",), ("idempotency_key",), ("order_id",)} <= unique_keys


@pytest.mark.django_db
def test_addons_only_order_points_at_the_plan_order_in_service(app, buy):
    plan_order = app_on_plan(app, "pro")
    order = buy(app, "", [AddonRequest(code="rest_rate", quantity=3)])
    assert order.plan is None
    assert order.plan_order == plan_order
    assert order.monthly_fee == Decimal("600.00")


@pytest.mark.django_db
def test_same_token_twice_returns_the_first_order(app, buy):
    token = checkout_token_issue(app=app)
    first = buy(app, "pro", token=token)
    second = buy(app, "pro", token=token)
    assert second.pk == first.pk
    assert (first.just_placed, second.just_placed) == (True, False)
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_forged_token_is_refused(app, buy):
    token = checkout_token_issue(app=app)
    with pytest.raises(PurchaseNotAllowed, match="expired or was altered"):
        buy(app, "pro", token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_token_issued_for_another_app_is_refused(app, buy, org):
    other_app = AppFactory(organization=org)
    with pytest.raises(PurchaseNotAllowed, match="another app"):
        buy(app, "pro", token=checkout_token_issue(app=other_app))
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_expired_token_is_refused(app, buy):
    with time_machine.travel(dt.datetime(2026, 4, 1, tzinfo=dt.UTC), tick=False):
        token = checkout_token_issue(app=app)
    with time_machine.travel(dt.datetime(2026, 4, 3, tzinfo=dt.UTC), tick=False), \
            pytest.raises(PurchaseNotAllowed, match="expired"):
        buy(app, "pro", token=token)


@pytest.mark.django_db
def test_org_in_arrears_cannot_buy(app, buy, org):
    LedgerEntry.objects.create(organization=org, kind=LedgerEntry.Kind.ADJUSTMENT, amount=Decimal("-0.01"))
    with pytest.raises(PurchaseNotAllowed, match="in arrears"):
        buy(app, "pro")
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_org_with_zero_balance_may_buy(app, buy):
    assert buy(app, "pro").pk


@pytest.mark.django_db
@time_machine.travel(APRIL_10, tick=False)
def test_fixed_provisioning_delay_sets_activate_after(app, buy, settings):
    settings.ORDER_PROVISIONING_SECONDS = "2"
    order = buy(app, "pro")
    assert order.activate_after == APRIL_10 + dt.timedelta(seconds=2)


@pytest.mark.django_db
@time_machine.travel(APRIL_10, tick=False)
def test_ranged_provisioning_delay_is_drawn_per_order_within_the_range(settings, org, buy):
    settings.ORDER_PROVISIONING_SECONDS = "180-300"
    delays = {(buy(AppFactory(organization=org), "pro").activate_after - APRIL_10).total_seconds() for _ in range(8)}
    assert all(180 <= d <= 300 for d in delays)
    assert len(delays) > 1


@pytest.mark.parametrize("raw", ["soon", "300-180", ""])
def test_bad_provisioning_delay_setting_is_an_error(settings, raw):
    settings.ORDER_PROVISIONING_SECONDS = raw
    with pytest.raises(ImproperlyConfigured):
        provisioning_delay()
