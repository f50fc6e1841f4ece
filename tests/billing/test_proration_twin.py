"""One proration rule, twice: ``console.money.prorate`` (the checkout estimate, in Python) and the bill SQL
(``orders.charges.order_charged_lines_sql``). For every day of a year the two agree to the cent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from console.money import prorate
from console.timeutil import days_in_month, month_start
from orders.charges import order_charged_lines_sql
from orders.models import Order
from orders.selectors import purchase_quote
from tests.billing.factories import at, order_bought

pytestmark = pytest.mark.django_db

# 888 and 2888 are real plan prices; the others make every rounding case appear (ties, remainders).
FEES = [Decimal("888.00"), Decimal("2888.00"), Decimal("0.01"), Decimal("999.99"), Decimal("1234.57")]


def _days_of(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


def _sql_amounts(month: dt.date) -> dict[int, tuple[int, Decimal]]:
    sql, params = order_charged_lines_sql(month=month)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT order_id, days, amount_cents FROM ({sql}) lines", params)  # noqa: S608
        return {order_id: (days, Decimal(int(cents)) / 100) for order_id, days, cents in cursor.fetchall()}


@pytest.mark.parametrize("year", [2026, 2028])  # 2028 is a leap year: February has 29 days
def test_the_bill_sql_and_prorate_agree_to_the_cent_for_every_purchase_day_of_a_year(app, year):
    template = order_bought(dt.date(year, 1, 1), app=app, status=Order.Status.COMPLETED)
    Order.objects.bulk_create(
        Order(organization=app.organization, app=app, plan=template.plan, status=Order.Status.COMPLETED,
              buyer=template.buyer, monthly_fee=fee, estimated_fee=Decimal("0.00"),
              created_at=at(day, hour=10), purchase_date=day, activate_after=at(day, hour=10))
        for index, day in enumerate(_days_of(year))
        for fee in (FEES[index % len(FEES)], FEES[(index + 2) % len(FEES)])
    )
    orders: dict[dt.date, list[Order]] = {}
    for order in Order.objects.exclude(pk=template.pk):
        orders.setdefault(order.purchase_date, []).append(order)
    assert len(orders) == len(_days_of(year))
    by_month: dict[dt.date, dict] = {}
    compared = 0
    for day, day_orders in orders.items():
        month = month_start(day)
        if month not in by_month:
            by_month[month] = _sql_amounts(month)
        month_days = days_in_month(day)
        for order in day_orders:
            days, sql_amount = by_month[month][order.pk]
            assert days == month_days - day.day + 1
            assert sql_amount == prorate(order.monthly_fee, days=days, month_days=month_days), (day, order.monthly_fee)
            compared += 1
    assert compared == 2 * len(_days_of(year))


def test_the_checkout_estimate_is_prorate_of_the_monthly_fee_from_the_purchase_day(app):
    # The first, a middle and the last day of every month of a leap year (a quote is a dozen queries).
    days = [day for day in _days_of(2028) if day.day in (1, 15) or day.day == days_in_month(day)]
    for day in days:
        quote = purchase_quote(app=app, plan_code="pro", addons=[], now=at(day, hour=12))
        assert quote.estimated_fee == prorate(Decimal("888.00"), days=days_in_month(day) - day.day + 1,
                                              month_days=days_in_month(day)), day


@pytest.mark.parametrize(
    ("monthly", "days", "month_days", "expected"),
    [
        (Decimal("888.00"), 19, 28, Decimal("602.57")),  # 602.571…
        (Decimal("888.00"), 28, 28, Decimal("888.00")),
        (Decimal("0.01"), 15, 30, Decimal("0.01")),  # exactly half a cent rounds up
        (Decimal("0.01"), 14, 30, Decimal("0.00")),
        (Decimal("2888.00"), 16, 31, Decimal("1490.58")),
        (Decimal("888.00"), 0, 31, Decimal("0.00")),
    ],
)
def test_prorate_rounds_half_up_once(monthly, days, month_days, expected):
    assert prorate(monthly, days=days, month_days=month_days) == expected
