"""Effective entitlements (SPEC §6): plan values, tiers set the cap, stackable units add."""

import pytest

from apps.plans.entitlements import entitlements_for
from apps.plans.models import Plan
from orders.entitlements import app_entitlements
from orders.models import Order
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory, add_addon_line

pytestmark = pytest.mark.django_db

QUOTAS = ["group_members", "user_groups", "message_storage", "rest_rate", "im_users"]
SWITCHES = ["recall", "push", "ip_whitelist", "sensitive_words", "callbacks"]

PLAN_VALUES = {
    "free": {"group_members": 100, "user_groups": 100, "message_storage": 3, "rest_rate": 100, "im_users": 100},
    "pro": {"group_members": 300, "user_groups": 600, "message_storage": 7, "rest_rate": 100, "im_users": None},
    "flagship": {"group_members": 3000, "user_groups": None, "message_storage": 90, "rest_rate": 100,
                 "im_users": None},
    "premium": {"group_members": 8000, "user_groups": None, "message_storage": 180, "rest_rate": 100,
                "im_users": None},
}
PLAN_SWITCHES = {
    "free": {"recall": True, "push": True, "ip_whitelist": True, "sensitive_words": False, "callbacks": False},
    "pro": dict.fromkeys(SWITCHES, True),
    "flagship": dict.fromkeys(SWITCHES, True),
    "premium": dict.fromkeys(SWITCHES, True),
}


def plan(code):
    return Plan.objects.get(code=code)


@pytest.mark.parametrize("code", PLAN_VALUES)
def test_plan_alone_gives_the_catalog_values(code):
    ent = entitlements_for(plan=plan(code), addon_lines=())
    assert {code: quota.value for code, quota in ent.quotas.items()} == PLAN_VALUES[code]
    assert ent.switches == PLAN_SWITCHES[code]


def test_app_without_order_is_on_free():
    ent = app_entitlements(app=AppFactory())
    assert ent.plan.code == "free"
    assert ent.quota("message_storage").value == 3
    assert not ent.includes("callbacks")
    assert ent.includes("recall")
    assert ent.addon_lines == ()


def test_ten_storage_units_add_three_hundred_days_to_pro():
    order = OrderFactory(plan=plan("pro"))
    add_addon_line(order, "message_storage", quantity=10)
    assert app_entitlements(app=order.app).quota("message_storage").value == 307


def test_eight_thousand_members_tier_replaces_flagship_three_thousand():
    order = OrderFactory(plan=plan("flagship"))
    add_addon_line(order, "group_members", tier_value=8000)
    assert app_entitlements(app=order.app).quota("group_members").value == 8000


def test_two_rest_rate_units_give_pro_three_hundred_calls():
    order = OrderFactory(plan=plan("pro"))
    add_addon_line(order, "rest_rate", quantity=2)
    assert app_entitlements(app=order.app).quota("rest_rate").value == 300


def test_premium_groups_per_user_stay_unlimited_with_a_tier():
    order = OrderFactory(plan=plan("premium"))
    add_addon_line(order, "user_groups", tier_value=3000)
    ent = app_entitlements(app=order.app)
    assert ent.quota("user_groups").value is None
    assert ent.includes("user_groups")


def test_highest_bought_tier_is_the_cap():
    order = OrderFactory(plan=plan("pro"))
    add_addon_line(order, "group_members", tier_value=1000)
    addon_order = OrderFactory(app=order.app, plan=None, plan_order=order)
    add_addon_line(addon_order, "group_members", tier_value=5000)
    assert app_entitlements(app=order.app).quota("group_members").value == 5000


def test_tier_below_the_plan_value_does_not_lower_the_cap():
    ent_plan = plan("flagship")
    order = OrderFactory(plan=ent_plan)
    add_addon_line(order, "group_members", tier_value=500)
    assert app_entitlements(app=order.app).quota("group_members").value == 3000


def test_addon_only_orders_of_the_plan_order_stack_with_its_own_lines():
    order = OrderFactory(plan=plan("pro"))
    add_addon_line(order, "message_storage", quantity=2)
    addon_order = OrderFactory(app=order.app, plan=None, plan_order=order)
    add_addon_line(addon_order, "message_storage", quantity=3)
    ent = app_entitlements(app=order.app)
    assert ent.quota("message_storage").value == 7 + 5 * 30
    assert len(ent.addon_lines) == 2


def test_provisioning_and_completed_addon_orders_do_not_count():
    order = OrderFactory(plan=plan("pro"))
    done = OrderFactory(app=order.app, plan=None, plan_order=order, status=Order.Status.COMPLETED)
    add_addon_line(done, "rest_rate", quantity=5)
    pending = OrderFactory(app=order.app, plan=None, plan_order=order, status=Order.Status.PROVISIONING)
    add_addon_line(pending, "rest_rate", quantity=5)
    assert app_entitlements(app=order.app).quota("rest_rate").value == 100


def test_completed_plan_order_and_its_addons_do_not_count():
    old = OrderFactory(plan=plan("pro"), status=Order.Status.COMPLETED)
    add_addon_line(old, "message_storage", quantity=4)
    new = OrderFactory(app=old.app, plan=plan("flagship"))
    ent = app_entitlements(app=new.app)
    assert ent.plan.code == "flagship"
    assert ent.quota("message_storage").value == 90


def test_another_apps_addons_do_not_count():
    order = OrderFactory(plan=plan("pro"))
    other = OrderFactory(plan=plan("pro"))
    add_addon_line(other, "rest_rate", quantity=3)
    assert app_entitlements(app=order.app).quota("rest_rate").value == 100


@pytest.mark.parametrize("plan_code", ["pro", "flagship", "premium"])
@pytest.mark.parametrize(
    ("addon", "kwargs", "feature"),
    [
        ("group_members", {"tier_value": 500}, "group_members"),
        ("group_members", {"tier_value": 1000}, "group_members"),
        ("group_members", {"tier_value": 3000}, "group_members"),
        ("group_members", {"tier_value": 5000}, "group_members"),
        ("group_members", {"tier_value": 8000}, "group_members"),
        ("user_groups", {"tier_value": 1000}, "user_groups"),
        ("user_groups", {"tier_value": 2000}, "user_groups"),
        ("user_groups", {"tier_value": 3000}, "user_groups"),
        ("message_storage", {"quantity": 1}, "message_storage"),
        ("message_storage", {"quantity": 10}, "message_storage"),
        ("rest_rate", {"quantity": 1}, "rest_rate"),
        ("rest_rate", {"quantity": 2}, "rest_rate"),
    ],
)
def test_every_plan_and_addon_combination(plan_code, addon, kwargs, feature):
    order = OrderFactory(plan=plan(plan_code))
    add_addon_line(order, addon, **kwargs)
    base = PLAN_VALUES[plan_code][feature]
    if base is None:
        expected = None
    elif "tier_value" in kwargs:
        expected = max(base, kwargs["tier_value"])
    else:
        unit = {"message_storage": 30, "rest_rate": 100}[feature]
        expected = base + unit * kwargs["quantity"]
    ent = app_entitlements(app=order.app)
    assert ent.quota(feature).value == expected
    others = {code: value for code, value in PLAN_VALUES[plan_code].items() if code != feature}
    assert {code: ent.quota(code).value for code in others} == others


def test_query_count_does_not_grow_with_addon_lines(django_assert_num_queries):
    one = OrderFactory(plan=plan("pro"))
    add_addon_line(one, "rest_rate", quantity=1)
    many = OrderFactory(plan=plan("pro"))
    for _ in range(10):
        add_addon_line(many, "rest_rate", quantity=1)
        addon_order = OrderFactory(app=many.app, plan=None, plan_order=many)
        add_addon_line(addon_order, "message_storage", quantity=1)
    with django_assert_num_queries(3):  # the plan order, its add-on lines, the plan's feature rows
        app_entitlements(app=one.app)
    with django_assert_num_queries(2):  # the feature rows now come from the catalog cache
        ent = app_entitlements(app=many.app)
    assert ent.quota("rest_rate").value == 1100
    assert ent.quota("message_storage").value == 307
