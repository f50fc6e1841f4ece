"""What orders cost in a month, in SQL (SPEC §8): the orders -> billing hand-off. Orders own their table and
the proration rule; billing (bills, the month-to-date estimate) runs ``order_charged_lines_sql`` and never
reads the orders table itself.

A line is one order's charged days in a month: the overlap of [purchase_date, charge_end_date or the end
of the month) with [first of month, first of next month), capped at ``until`` for an estimate. Its amount
is monthly_fee × days ÷ days_in_month, rounded half-up to the cent ONCE, computed in integer cents so
PostgreSQL and SQLite give the same exact result:
    amount_cents = (fee_cents × days × 2 + dim) // (2 × dim)      (exact half-up for non-negative values)
This is ``console.money.prorate`` (the checkout estimate) in SQL; tests/billing/test_proration_twin.py holds
the two equal to the cent for every day of a year.
"""

import datetime as dt

from django.db import connection

from console.timeutil import days_in_month, month_start, next_month_start
from orders.models import Order


def days_between_sql(end: str, start: str) -> str:
    """Whole days from ``start`` to ``end`` (two date expressions): the only vendor-specific SQL here."""
    if connection.vendor == "postgresql":
        return f"({end} - {start})"
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


def order_charged_lines_sql(
    *, month: dt.date, until: dt.date | None = None, organization_id: int | None = None
) -> tuple[str, list]:
    """A SELECT of every charged line of ``month`` (all orgs, or one), with the params to run it.

    Columns: organization_id, order_id, app_id, monthly_fee, start_date, end_date (exclusive), days,
    amount_cents. Only lines with at least one day appear.
    """
    first = month_start(month)
    end = next_month_start(first)
    cap = min(end, until) if until else end
    dim = days_in_month(first)
    adapt = connection.ops.adapt_datefield_value
    first_param, cap_param = adapt(first), adapt(cap)
    orders = Order._meta.db_table
    params: list = [first_param, first_param, cap_param, cap_param, cap_param, first_param]
    org_filter = ""
    if organization_id is not None:
        org_filter = "AND o.organization_id = %s"
        params.append(organization_id)
    sql = f"""
        SELECT d.organization_id, d.order_id, d.app_id, d.monthly_fee, d.start_date, d.end_date, d.days,
               (d.fee_cents * d.days * 2 + {dim:d}) / {2 * dim:d} AS amount_cents
        FROM (
            SELECT r.*, {days_between_sql("r.end_date", "r.start_date")} AS days
            FROM (
                SELECT o.organization_id, o.id AS order_id, o.app_id, o.monthly_fee,
                       CAST(ROUND(o.monthly_fee * 100) AS BIGINT) AS fee_cents,
                       CASE WHEN o.purchase_date > %s THEN o.purchase_date ELSE %s END AS start_date,
                       CASE WHEN o.charge_end_date IS NOT NULL AND o.charge_end_date < %s
                            THEN o.charge_end_date ELSE %s END AS end_date
                FROM {orders} o
                WHERE o.purchase_date < %s
                  AND (o.charge_end_date IS NULL
                       OR (o.charge_end_date > %s AND o.charge_end_date > o.purchase_date))
                  {org_filter}
            ) r
        ) d
    """  # noqa: S608 -- only table names, integers and fixed fragments are formatted in; values are params
    return sql, params
