"""The purchase rules of SPEC §6, enforced by order_place whatever the form offered."""

import pytest

from orders.exceptions import PurchaseNotAllowed
from orders.models import Order
from orders.selectors import AddonRequest
from tests.orders.factories import OrderFactory, add_addon_line, app_on_plan

PLANS = ["free", "pro", "flagship", "premium"]
RANK = {code: rank for rank, code in enumerate(PLANS)}
STORAGE = AddonRequest(code="message_storage", quantity=1)


def rule_allows(current: str, plan: str, with_addons: bool) -> bool:
    if plan:
        return plan != "free" and RANK[plan] > RANK[current]
    return with_addons and current != "free"


@pytest.mark.django_db
@pytest.mark.parametrize("current", PLANS)
@pytest.mark.parametrize("plan", [*PLANS, ""])
@pytest.mark.parametrize("with_addons", [False, True], ids=["no-addons", "with-addons"])
def test_purchase_rule_matrix(app, buy, current, plan, with_addons):
    app_on_plan(app, current)
    before = Order.objects.count()
    addons = [STORAGE] if with_addons else []
    if rule_allows(current, plan, with_addons):
        order = buy(app, plan, addons)
        assert order.status == Order.Status.PROVISIONING
        assert (order.plan.code if order.plan else "") == plan
        assert Order.objects.count() == before + 1
    else:
        with pytest.raises(PurchaseNotAllowed):
            buy(app, plan, addons)
        assert Order.objects.count() == before


@pytest.mark.django_db
def test_free_app_cannot_buy_addons_alone(app, buy):
    with pytest.raises(PurchaseNotAllowed, match="Free plan cannot buy add-ons alone"):
        buy(app, "", [STORAGE])


@pytest.mark.django_db
def test_lower_plan_is_refused_with_a_message_naming_both_plans(app, buy):
    app_on_plan(app, "flagship")
    with pytest.raises(PurchaseNotAllowed, match="An app on Flagship cannot buy Pro"):
        buy(app, "pro")


@pytest.mark.django_db
def test_tier_at_the_new_plans_cap_is_refused_and_above_it_allowed(app, buy):
    with pytest.raises(PurchaseNotAllowed, match="3,000 tier is not above the cap of 3,000"):
        buy(app, "flagship", [AddonRequest(code="group_members", tier_value=3000)])
    order = buy(app, "flagship", [AddonRequest(code="group_members", tier_value=5000)])
    assert [line.tier_value for line in order.lines.filter(kind="addon")] == [5000]


@pytest.mark.django_db
def test_tier_below_an_addon_already_in_service_is_refused(app, buy):
    plan_order = app_on_plan(app, "pro")
    add_addon_line(plan_order, "group_members", tier_value=1000)
    with pytest.raises(PurchaseNotAllowed, match="not above the cap of 1,000"):
        buy(app, "", [AddonRequest(code="group_members", tier_value=500)])
    assert buy(app, "", [AddonRequest(code="group_members", tier_value=3000)]).plan_order == plan_order


@pytest.mark.django_db
def test_a_new_plan_compares_tiers_with_its_own_value_not_the_addons_it_replaces(app, buy):
    plan_order = app_on_plan(app, "pro")
    add_addon_line(plan_order, "group_members", tier_value=5000)
    order = buy(app, "flagship", [AddonRequest(code="group_members", tier_value=5000)])
    assert order.plan.code == "flagship"


@pytest.mark.django_db
def test_tier_on_an_unlimited_quota_is_refused(app, buy):
    app_on_plan(app, "flagship")
    with pytest.raises(PurchaseNotAllowed, match="cap of unlimited"):
        buy(app, "", [AddonRequest(code="user_groups", tier_value=3000)])


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", [0, 121, -1])
def test_stackable_quantity_outside_1_to_120_is_refused(app, buy, quantity):
    app_on_plan(app, "pro")
    with pytest.raises(PurchaseNotAllowed, match="between 1 and 120 units"):
        buy(app, "", [AddonRequest(code="message_storage", quantity=quantity)])


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", [1, 120])
def test_stackable_quantity_1_and_120_are_accepted(app, buy, quantity):
    app_on_plan(app, "pro")
    order = buy(app, "", [AddonRequest(code="rest_rate", quantity=quantity)])
    assert order.lines.get().quantity == quantity


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("addons", "message"),
    [
        ([AddonRequest(code="no-such-addon", quantity=1)], "not on sale"),
        ([AddonRequest(code="group_members", tier_value=777)], "Choose one of the tiers"),
        ([AddonRequest(code="group_members", tier_value=1000, quantity=3)], "one tier, not a quantity"),
        ([AddonRequest(code="message_storage", tier_value=30, quantity=1)], "in units, not tiers"),
        ([STORAGE, STORAGE], "only once"),
    ],
    ids=["unknown", "unknown-tier", "tier-quantity", "stackable-tier", "duplicate"],
)
def test_crafted_addon_requests_are_refused_and_create_nothing(app, buy, addons, message):
    app_on_plan(app, "pro")
    with pytest.raises(PurchaseNotAllowed, match=message):
        buy(app, "", addons)
    assert Order.objects.filter(status=Order.Status.PROVISIONING).count() == 0


@pytest.mark.django_db
def test_unknown_or_withdrawn_plan_is_refused(app, buy):
    from apps.plans.models import Plan

    with pytest.raises(PurchaseNotAllowed, match="not on sale"):
        buy(app, "platinum")
    Plan.objects.filter(code="premium").update(is_active=False)
    with pytest.raises(PurchaseNotAllowed, match="not on sale"):
        buy(app, "premium")


@pytest.mark.django_db
def test_nothing_chosen_is_refused(app, buy):
    app_on_plan(app, "pro")
    with pytest.raises(PurchaseNotAllowed, match="Choose a plan or at least one add-on"):
        buy(app, "", [])


@pytest.mark.django_db
def test_purchase_for_an_app_with_an_order_still_provisioning_is_refused(app, buy):
    OrderFactory(app=app, status=Order.Status.PROVISIONING)
    with pytest.raises(PurchaseNotAllowed, match="still provisioning"):
        buy(app, "flagship")
    assert app.orders.count() == 1
