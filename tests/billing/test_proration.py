"""SPEC §8 proration with concrete numbers: days from purchase (inclusive) to completion (exclusive)."""

import datetime as dt
from decimal import Decimal

import pytest

from billing.models import Bill, BillLine
from billing.services import bills_generate
from orders.models import Order
from tests.applications.factories import AppFactory
from tests.billing.factories import at, order_bought, plan
from tests.orders.factories import OrderFactory, add_addon_line

D = dt.date
pytestmark = pytest.mark.django_db


def bill_month(month: dt.date) -> None:
    bills_generate(month=month, now=at(D(2030, 1, 5)))


def line_of(order: Order, month: dt.date) -> BillLine:
    return BillLine.objects.get(order=order, bill__month=month)


def test_pro_bought_mid_february_is_charged_from_the_purchase_day(app):
    order = order_bought(D(2026, 2, 10), app=app)
    bill_month(D(2026, 2, 1))
    line = line_of(order, D(2026, 2, 1))
    assert (line.start_date, line.end_date, line.days) == (D(2026, 2, 10), D(2026, 3, 1), 19)
    assert line.monthly_fee == Decimal("888.00")
    assert line.amount == Decimal("602.57")  # 888 × 19 / 28 = 602.571…


def test_an_order_in_service_the_whole_month_costs_its_monthly_fee(app):
    order = order_bought(D(2026, 1, 20), app=app)
    bill_month(D(2026, 2, 1))
    assert line_of(order, D(2026, 2, 1)).amount == Decimal("888.00")
    assert line_of(order, D(2026, 2, 1)).days == 28


def test_an_order_spanning_months_gets_a_line_in_each_bill(app):
    order = order_bought(D(2026, 1, 20), app=app)
    bill_month(D(2026, 1, 1))
    bill_month(D(2026, 2, 1))
    january = line_of(order, D(2026, 1, 1))
    assert (january.days, january.amount) == (12, Decimal("343.74"))  # 888 × 12 / 31 = 343.741…
    assert line_of(order, D(2026, 2, 1)).days == 28


def test_upgrade_day_is_charged_to_the_new_order_only(app):
    pro = order_bought(D(2026, 3, 1), app=app, ended=D(2026, 3, 16))
    flagship = order_bought(D(2026, 3, 16), app=app, plan=plan("flagship"))
    bill_month(D(2026, 3, 1))
    old, new = line_of(pro, D(2026, 3, 1)), line_of(flagship, D(2026, 3, 1))
    assert (old.start_date, old.end_date, old.days) == (D(2026, 3, 1), D(2026, 3, 16), 15)
    assert (new.start_date, new.end_date, new.days) == (D(2026, 3, 16), D(2026, 4, 1), 16)
    assert old.amount == Decimal("429.68")  # 888 × 15 / 31 = 429.677…
    assert new.amount == Decimal("1490.58")  # 2888 × 16 / 31 = 1490.580…
    assert Bill.objects.get(organization=app.organization).total == Decimal("1920.26")


def test_an_order_upgraded_on_its_own_purchase_day_costs_nothing(app):
    same_day = order_bought(D(2026, 3, 10), app=app, ended=D(2026, 3, 10))
    premium = order_bought(D(2026, 3, 10), app=app, plan=plan("premium"))
    bill_month(D(2026, 3, 1))
    assert not BillLine.objects.filter(order=same_day).exists()
    assert line_of(premium, D(2026, 3, 1)).days == 22


@pytest.mark.parametrize(
    ("month", "days_in_month", "amount"),
    [
        (D(2026, 2, 1), 28, Decimal("856.29")),  # 888 × 27 / 28 = 856.285…
        (D(2028, 2, 1), 29, Decimal("857.38")),  # leap year: 888 × 28 / 29 = 857.379…
        (D(2026, 4, 1), 30, Decimal("858.40")),  # 888 × 29 / 30
        (D(2026, 5, 1), 31, Decimal("859.35")),  # 888 × 30 / 31 = 859.354…
    ],
)
def test_the_monthly_price_is_divided_by_the_days_of_that_month(app, month, days_in_month, amount):
    order = order_bought(month.replace(day=2), app=app)
    bill_month(month)
    line = line_of(order, month)
    assert line.days == days_in_month - 1
    assert line.amount == amount


def test_a_line_at_exactly_half_a_cent_rounds_up_once(app):
    # 100.05 × 3 / 30 = 10.005 exactly: half-up gives 10.01 (half-even would give 10.00, a float 10.00,
    # rounding each day 3 × 3.34 = 10.02).
    order = order_bought(D(2026, 4, 28), app=app, monthly_fee=Decimal("100.05"))
    bill_month(D(2026, 4, 1))
    assert line_of(order, D(2026, 4, 1)).amount == Decimal("10.01")


def test_an_order_still_provisioning_is_charged_from_its_purchase_day(app):
    order = order_bought(D(2026, 2, 27), app=app, status=Order.Status.PROVISIONING)
    bill_month(D(2026, 2, 1))
    assert line_of(order, D(2026, 2, 1)).days == 2


def test_an_addon_order_is_charged_its_own_fee_for_its_own_days(app):
    pro = order_bought(D(2026, 1, 5), app=app)
    addons = order_bought(D(2026, 2, 15), app=app, plan=None, plan_order=pro)
    add_addon_line(addons, "message_storage", quantity=10)
    bill_month(D(2026, 2, 1))
    line = line_of(addons, D(2026, 2, 1))
    assert (line.monthly_fee, line.days, line.amount) == (Decimal("5000.00"), 14, Decimal("2500.00"))
    assert Bill.objects.get(organization=app.organization).total == Decimal("3388.00")


def test_a_month_without_charged_orders_gives_no_bill(app):
    order_bought(D(2026, 1, 5), app=app, ended=D(2026, 2, 1))
    assert bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 5))) == 0
    assert bills_generate(month=D(2025, 12, 1), now=at(D(2026, 3, 5))) == 0
    assert not Bill.objects.filter(month__in=[D(2026, 2, 1), D(2025, 12, 1)]).exists()


def test_each_org_gets_its_own_bill_with_only_its_orders(app, other_org):
    ours = order_bought(D(2026, 2, 1), app=app)
    theirs = order_bought(D(2026, 2, 15), app=AppFactory(organization=other_org))
    bill_month(D(2026, 2, 1))
    our_bill = Bill.objects.get(organization=app.organization)
    their_bill = Bill.objects.get(organization=other_org)
    assert list(our_bill.lines.values_list("order", flat=True)) == [ours.pk]
    assert list(their_bill.lines.values_list("order", flat=True)) == [theirs.pk]
    assert (our_bill.total, their_bill.total) == (Decimal("888.00"), Decimal("444.00"))


def test_orders_made_by_the_order_factory_default_are_billed_by_business_date(app):
    order = OrderFactory(app=app, created_at=at(D(2026, 2, 28), hour=23, minute=30))
    assert order.purchase_date == D(2026, 2, 28)
    bill_month(D(2026, 2, 1))
    assert line_of(order, D(2026, 2, 1)).amount == Decimal("31.71")  # 888 / 28 = 31.714…


def test_every_line_matches_decimal_arithmetic_for_random_fees_and_dates(org):
    import random

    from console.money import quantize_money
    from console.timeutil import days_in_month, month_start, next_month_start

    rng = random.Random(20260205)
    for index in range(60):
        app = AppFactory(organization=org, name=f"r{index}")
        bought = D(2027, 12, 1) + dt.timedelta(days=rng.randint(0, 120))
        ended = bought + dt.timedelta(days=rng.randint(0, 70)) if rng.random() < 0.7 else None
        order_bought(bought, app=app, ended=ended, monthly_fee=Decimal(rng.randint(1, 9_999_999)) / 100)
    month = D(2027, 12, 1)
    while month <= D(2028, 6, 1):
        bills_generate(month=month, now=at(D(2028, 8, 1)))
        month = next_month_start(month)
    lines = list(BillLine.objects.select_related("order", "bill"))
    expected_pairs = set()
    for order in Order.objects.filter(organization=org):
        month = D(2027, 12, 1)
        while month <= D(2028, 6, 1):
            if max(order.purchase_date, month) < min(order.charge_end_date or D(2099, 1, 1), next_month_start(month)):
                expected_pairs.add((order.pk, month))
            month = next_month_start(month)
    assert {(line.order_id, line.bill.month) for line in lines} == expected_pairs
    for line in lines:
        first, after = line.bill.month, next_month_start(line.bill.month)
        start = max(line.order.purchase_date, first)
        end = min(line.order.charge_end_date or after, after)
        assert (line.start_date, line.end_date, line.days) == (start, end, (end - start).days)
        assert line.amount == quantize_money(line.monthly_fee * line.days / days_in_month(first))
        assert month_start(line.start_date) == first
    for bill in Bill.objects.all():
        assert bill.total == sum(line.amount for line in lines if line.bill_id == bill.pk)
