"""Row locks and partial unique constraints under real concurrency (PostgreSQL, threads with their own
connections)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from apps.plans.models import Plan
from orders.exceptions import PurchaseNotAllowed
from orders.models import Order, OrderStatusChange
from orders.services import order_activate, order_place, orders_activate_due
from orders.tokens import checkout_token_issue
from tests.applications.factories import AppFactory
from tests.concurrency import run_together
from tests.orders.factories import OrderFactory, add_addon_line, app_on_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Order.Status


def test_two_concurrent_activation_runs_activate_each_order_once(org):
    past = timezone.now() - dt.timedelta(hours=1)
    apps = [AppFactory(organization=org) for _ in range(6)]
    flagship = Plan.objects.get(code="flagship")
    for app in apps:
        app_on_plan(app, "pro", created_at=past - dt.timedelta(days=1))
        OrderFactory(app=app, plan=flagship, status=S.PROVISIONING, created_at=past)
    counts = run_together(orders_activate_due, orders_activate_due)
    assert not any(isinstance(c, Exception) for c in counts), counts
    assert sum(counts) == 6
    for app in apps:
        in_service = Order.objects.filter(app=app, status=S.IN_SERVICE, plan__isnull=False)
        assert [o.plan.code for o in in_service] == ["flagship"]
        assert Order.objects.filter(app=app, status=S.COMPLETED).count() == 1
    assert OrderStatusChange.objects.filter(to_status=S.IN_SERVICE, from_status=S.PROVISIONING).count() == 6
    assert OrderStatusChange.objects.filter(to_status=S.COMPLETED).count() == 6
    connection.close()


def test_a_tick_and_a_single_activation_at_once_complete_each_replaced_order_once(org):
    """The set-based statement completes the previous plan and add-on orders without locking them first; the
    per-order path (order_activate) may run at the same moment on one of the same apps."""
    past = timezone.now() - dt.timedelta(hours=1)
    flagship = Plan.objects.get(code="flagship")
    made = []
    for _ in range(5):
        app = AppFactory(organization=org)
        pro = app_on_plan(app, "pro", created_at=past - dt.timedelta(days=2))
        addon = OrderFactory(app=app, plan=None, plan_order=pro, created_at=past - dt.timedelta(days=1))
        add_addon_line(addon, "rest_rate", quantity=1)
        made.append((pro, addon, OrderFactory(app=app, plan=flagship, status=S.PROVISIONING, created_at=past)))
    single = made[2][2]
    tick, one = run_together(orders_activate_due, lambda: order_activate(order=single))
    assert not isinstance(tick, Exception) and not isinstance(one, Exception), (tick, one)
    assert tick + one == 5
    for pro, addon, new in made:
        assert list(new.history.values_list("to_status", flat=True)) == [S.PROVISIONING, S.IN_SERVICE]
        for replaced in (pro, addon):
            replaced.refresh_from_db()
            assert replaced.status == S.COMPLETED
            assert replaced.history.filter(to_status=S.COMPLETED).count() == 1
    connection.close()


def test_two_concurrent_purchases_for_one_app_make_one_order_and_one_refusal(org, owner):
    app = AppFactory(organization=org)
    tokens = [checkout_token_issue(app=app), checkout_token_issue(app=app)]
    results = run_together(*[
        (lambda token=token: order_place(app=app, buyer=owner, plan_code="pro", addons=[], token=token))
        for token in tokens
    ])
    orders = [r for r in results if isinstance(r, Order)]
    refusals = [r for r in results if isinstance(r, PurchaseNotAllowed)]
    assert len(orders) == 1 and len(refusals) == 1, results
    assert "still provisioning" in str(refusals[0])
    assert Order.objects.filter(app=app).count() == 1


def test_two_concurrent_purchases_with_the_same_token_make_one_order(org, owner):
    app = AppFactory(organization=org)
    token = checkout_token_issue(app=app)
    results = run_together(*[
        (lambda: order_place(app=app, buyer=owner, plan_code="pro", addons=[], token=token)) for _ in range(3)
    ])
    assert all(isinstance(r, Order) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Order.objects.filter(app=app).count() == 1
