"""The activation job is set-based (issue 14): the same few statements for 3 or 40 due orders, each upgrade
still completing the previous plan order and its add-on orders with history and audit, and a batch boundary
that leaves nothing behind."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AuditEntry
from apps.plans.models import Plan
from orders import services
from orders.models import Order, OrderStatusChange
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory, add_addon_line, app_on_plan

pytestmark = pytest.mark.django_db
S = Order.Status


def upgrades(org, count: int, past: dt.datetime) -> list[tuple[Order, Order, Order]]:
    """``count`` apps on Pro with an add-on order each, and a due Flagship order per app."""
    flagship = Plan.objects.get(code="flagship")
    made = []
    for _ in range(count):
        app = AppFactory(organization=org)
        pro = app_on_plan(app, "pro", created_at=past - dt.timedelta(days=3))
        addon = OrderFactory(app=app, plan=None, plan_order=pro, created_at=past - dt.timedelta(days=2))
        add_addon_line(addon, "rest_rate", quantity=1)
        new = OrderFactory(app=app, plan=flagship, status=S.PROVISIONING, created_at=past,
                           activate_after=past + dt.timedelta(minutes=1))
        made.append((pro, addon, new))
    return made


def test_statements_do_not_grow_with_due_orders_and_every_cascade_happens(org):
    past = timezone.now() - dt.timedelta(hours=1)
    few, many = upgrades(org, 3, past), None
    with CaptureQueriesContext(connection) as small:
        assert services.orders_activate_due() == 3
    many = upgrades(org, 40, past)
    with CaptureQueriesContext(connection) as large:
        assert services.orders_activate_due() == 40
    assert len(large.captured_queries) == len(small.captured_queries) <= 12
    for pro, addon, new in few + many:
        for order in (pro, addon, new):
            order.refresh_from_db()
        assert (pro.status, addon.status, new.status) == (S.COMPLETED, S.COMPLETED, S.IN_SERVICE)
        assert pro.charge_end_date == addon.charge_end_date == new.purchase_date
        assert pro.completed_at == new.activated_at
        assert pro.history.last().note == f"Replaced by order {new.number}"
        assert list(new.history.values_list("from_status", "to_status")) == [
            ("", S.PROVISIONING), (S.PROVISIONING, S.IN_SERVICE)]
    assert AuditEntry.objects.filter(action="order.in_service").count() == 43
    assert services.orders_activate_due() == 0  # exactly once


def test_a_tick_takes_every_due_order_across_batches(org, monkeypatch):
    monkeypatch.setattr(services, "ACTIVATION_BATCH", 4)
    past = timezone.now() - dt.timedelta(hours=1)
    upgrades(org, 10, past)
    assert services.orders_activate_due() == 10
    assert Order.objects.filter(status=S.PROVISIONING).count() == 0
    assert OrderStatusChange.objects.filter(to_status=S.COMPLETED).count() == 20


def test_an_order_not_yet_due_waits(org):
    now = timezone.now()
    upgrades(org, 2, now + dt.timedelta(minutes=5))
    assert services.orders_activate_due(now=now) == 0
    assert Order.objects.filter(status=S.PROVISIONING).count() == 2


def test_a_failed_batch_is_activated_one_order_at_a_time(org, monkeypatch):
    past = timezone.now() - dt.timedelta(hours=1)
    made = upgrades(org, 3, past)

    def failing_batch(*, now):
        raise DatabaseError("a row the set-based statement cannot move")

    monkeypatch.setattr(services, "_activate_due_batch", failing_batch)
    assert services.orders_activate_due() == 3
    for pro, addon, new in made:
        for order in (pro, addon, new):
            order.refresh_from_db()
        assert (pro.status, addon.status, new.status) == (S.COMPLETED, S.COMPLETED, S.IN_SERVICE)
    assert AuditEntry.objects.filter(action="order.in_service").count() == 3
