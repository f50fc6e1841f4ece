"""provisioning → in service → completed: the transition service, the activation job and the cascade."""

import ast
import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.db import IntegrityError, transaction

from orders.exceptions import InvalidOrderTransition
from orders.models import Order
from orders.selectors import AddonRequest
from orders.services import TRANSITIONS, order_transition, orders_activate_due
from tests.orders.factories import OrderFactory, app_on_plan

S = Order.Status
T0 = dt.datetime(2026, 5, 20, 6, 0, tzinfo=dt.UTC)


def history(order) -> list[tuple[str, str]]:
    return list(order.history.values_list("from_status", "to_status"))


def test_transitions_are_data_and_only_move_forward():
    assert {S.PROVISIONING: {S.IN_SERVICE}, S.IN_SERVICE: {S.COMPLETED}, S.COMPLETED: set()} == TRANSITIONS


@pytest.mark.django_db
def test_transition_writes_history_and_times():
    order = OrderFactory(status=S.PROVISIONING, created_at=T0 - dt.timedelta(minutes=5))
    order_transition(order=order, to_status=S.IN_SERVICE, now=T0)
    order_transition(order=order, to_status=S.COMPLETED, now=T0 + dt.timedelta(days=3))
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert (order.activated_at, order.completed_at) == (T0, T0 + dt.timedelta(days=3))
    assert order.charge_end_date == dt.date(2026, 5, 23)
    assert history(order)[1:] == [(S.PROVISIONING, S.IN_SERVICE), (S.IN_SERVICE, S.COMPLETED)]


@pytest.mark.django_db
def test_transition_to_the_same_state_is_a_no_op():
    order = OrderFactory(status=S.IN_SERVICE)
    order_transition(order=order, to_status=S.IN_SERVICE)
    assert order.history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to"), [(S.IN_SERVICE, S.PROVISIONING), (S.COMPLETED, S.IN_SERVICE), (S.PROVISIONING, S.COMPLETED)]
)
def test_illegal_transition_raises_and_changes_nothing(start, to):
    order = OrderFactory(status=start)
    with pytest.raises(InvalidOrderTransition):
        order_transition(order=order, to_status=to)
    order.refresh_from_db()
    assert order.status == start
    assert order.history.count() == 1


# One order at a time, its set-based twin, and the activation job's PostgreSQL statement (issue 14); all write history.
TRANSITION_SERVICES = {"order_transition", "order_transition_set", "_activate_due_batch_sql"}


def test_only_the_transition_service_assigns_an_order_status():
    offenders = []
    for path in Path("orders").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for node in ast.walk(func):
                targets = node.targets if isinstance(node, ast.Assign) else []
                for target in targets:
                    assigns_status = isinstance(target, ast.Attribute) and target.attr == "status"
                    if assigns_status and func.name not in TRANSITION_SERVICES:
                        offenders.append(f"{path}:{func.name}")
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "update" and any(
                    kw.arg == "status" for kw in node.keywords
                ) and func.name not in TRANSITION_SERVICES:
                    offenders.append(f"{path}:{func.name}")
    assert offenders == []


@pytest.mark.django_db
def test_activation_job_puts_an_order_in_service_once_its_delay_has_passed(app, buy, settings):
    settings.ORDER_PROVISIONING_SECONDS = "180-300"
    with time_machine.travel(T0, tick=False):
        order = buy(app, "pro")
    with time_machine.travel(T0 + dt.timedelta(seconds=179), tick=False):
        assert orders_activate_due() == 0
    order.refresh_from_db()
    assert order.status == S.PROVISIONING
    with time_machine.travel(T0 + dt.timedelta(seconds=301), tick=False):
        assert orders_activate_due() == 1
        assert orders_activate_due() == 0
    order.refresh_from_db()
    assert order.status == S.IN_SERVICE
    assert order.activated_at == T0 + dt.timedelta(seconds=301)
    assert history(order) == [("", S.PROVISIONING), (S.PROVISIONING, S.IN_SERVICE)]


@pytest.mark.django_db
def test_upgrade_completes_the_previous_plan_order_and_its_addon_orders(app, buy):
    with time_machine.travel(T0, tick=False):
        pro = buy(app, "pro")
    orders_activate_due(now=T0 + dt.timedelta(minutes=10))
    with time_machine.travel(T0 + dt.timedelta(days=2), tick=False):
        storage = buy(app, "", [AddonRequest(code="message_storage", quantity=2)])
    orders_activate_due(now=T0 + dt.timedelta(days=2, minutes=10))
    # Bought at 23:59:59 on 31 May in Shanghai, in service after midnight on 1 June.
    bought = dt.datetime(2026, 5, 31, 15, 59, 59, tzinfo=dt.UTC)
    with time_machine.travel(bought, tick=False):
        flagship = buy(app, "flagship")
    assert flagship.purchase_date == dt.date(2026, 5, 31)
    activated = bought + dt.timedelta(minutes=5)
    assert orders_activate_due(now=activated) == 1

    pro.refresh_from_db()
    storage.refresh_from_db()
    flagship.refresh_from_db()
    assert (pro.status, storage.status, flagship.status) == (S.COMPLETED, S.COMPLETED, S.IN_SERVICE)
    assert pro.charge_end_date == storage.charge_end_date == dt.date(2026, 5, 31)
    assert pro.completed_at == storage.completed_at == flagship.activated_at == activated
    assert pro.history.last().note == f"Replaced by order {flagship.number}"
    assert Order.objects.filter(app=app, status=S.IN_SERVICE).get() == flagship


@pytest.mark.django_db
def test_addons_only_order_going_in_service_keeps_the_plan_order(app, buy):
    plan_order = app_on_plan(app, "pro")
    addon_order = buy(app, "", [AddonRequest(code="rest_rate", quantity=1)])
    orders_activate_due(now=addon_order.activate_after)
    plan_order.refresh_from_db()
    addon_order.refresh_from_db()
    assert (plan_order.status, addon_order.status) == (S.IN_SERVICE, S.IN_SERVICE)


@pytest.mark.django_db
def test_app_entitlements_follow_the_in_service_orders(app, buy):
    from orders.entitlements import app_entitlements

    order = buy(app, "flagship", [AddonRequest(code="group_members", tier_value=8000)])
    assert app_entitlements(app=app).plan.code == "free"
    orders_activate_due(now=order.activate_after)
    entitlements = app_entitlements(app=app)
    assert (entitlements.plan.code, entitlements.quota("group_members").value) == ("flagship", 8000)


@pytest.mark.django_db
def test_database_refuses_a_second_in_service_plan_order_for_an_app(app):
    app_on_plan(app, "pro")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(app=app, status=S.IN_SERVICE)


@pytest.mark.django_db
def test_database_refuses_a_second_provisioning_order_for_an_app(app):
    OrderFactory(app=app, status=S.PROVISIONING)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderFactory(app=app, plan=None, status=S.PROVISIONING, with_plan_line=False)
