import datetime as dt
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from billing.exceptions import InvalidAmount, MonthNotOver, TopUpAlreadyDecided
from billing.models import Bill, BillLine, LedgerEntry, TopUpRequest
from billing.selectors import forget_org_arrears
from console.money import quantize_money
from console.timeutil import business_date, month_start, next_month_start, previous_month_start
from orders.charges import order_charged_lines_sql
from orders.models import Order

# Bills for a month are issued on this day of the next month (business time), or on the first run after.
BILLING_DAY = 5


# --- Bills -------------------------------------------------------------------------------------------


@transaction.atomic
def bills_generate(*, month: dt.date, now: dt.datetime | None = None) -> int:
    """Bill every org with charged days in ``month`` that has no bill for it yet; return how many were billed.

    Set-based: one statement on PostgreSQL (four elsewhere) whatever the number of orgs and orders. A month
    without charged orders gives an org no bill (there is nothing to show or deduct). The unique (org, month)
    constraint makes it idempotent: a concurrent run waits on the conflicting rows and skips them (ON CONFLICT
    DO NOTHING); bill, lines and deduction are written in this one transaction.
    """
    now = now or timezone.now()
    month = month_start(month)
    if month >= month_start(business_date(now)):
        raise MonthNotOver(_("%(month)s is not over yet; a month is billed after it ends.") % {
            "month": f"{month:%Y-%m}"})
    ops = connection.ops
    month_param, now_param = ops.adapt_datefield_value(month), ops.adapt_datetimefield_value(now)
    lines_sql, lines_params = order_charged_lines_sql(month=month)
    if connection.vendor == "postgresql":
        created = _bills_generate_one_statement(month, month_param, now_param, lines_sql, lines_params)
    else:
        created = _bills_generate_statements(month, month_param, now_param, lines_sql, lines_params)
    if created <= 0:
        return 0
    # The deductions were inserted in SQL (no signal): every org's cached arrears flag is forgotten.
    forget_org_arrears()
    transaction.on_commit(lambda: forget_org_arrears())
    return created


def _bills_generate_one_statement(month, month_param, now_param, lines_sql, lines_params) -> int:
    """PostgreSQL: one statement of data-modifying CTEs. The charged lines are computed once; each bill is
    inserted with its total (summed in integer cents), and only the bills this statement inserted (its
    RETURNING: a bill a concurrent run committed first is a conflict, skipped) get lines and a deduction.
    No UPDATE of the bills and no NOT EXISTS over the ledger being written (issue 14: that anti-join read the
    growing ledger once per bill, quadratic in the number of orgs)."""
    bills, lines, ledger = Bill._meta.db_table, BillLine._meta.db_table, LedgerEntry._meta.db_table
    with connection.cursor() as cursor:
        # Ordered by org so that two concurrent runs take the row locks in the same order (no deadlock).
        cursor.execute(
            f"""
            WITH c AS MATERIALIZED ({lines_sql}),
            new_bills AS (
                INSERT INTO {bills} (organization_id, month, total, line_count, created_at)
                SELECT c.organization_id, %s, SUM(c.amount_cents) / 100.0, COUNT(*), %s FROM c
                WHERE NOT EXISTS (
                    SELECT 1 FROM {bills} x WHERE x.organization_id = c.organization_id AND x.month = %s)
                GROUP BY c.organization_id
                ORDER BY c.organization_id
                ON CONFLICT (organization_id, month) DO NOTHING
                RETURNING id, organization_id, total
            ),
            new_lines AS (
                INSERT INTO {lines} (bill_id, order_id, app_id, start_date, end_date, days, monthly_fee, amount)
                SELECT b.id, c.order_id, c.app_id, c.start_date, c.end_date, c.days, c.monthly_fee,
                       c.amount_cents / 100.0
                FROM c JOIN new_bills b ON b.organization_id = c.organization_id
            ),
            new_deductions AS (
                INSERT INTO {ledger} (organization_id, kind, amount, bill_id, note, created_at)
                SELECT b.organization_id, %s, 0 - b.total, b.id, %s, %s FROM new_bills b
            )
            SELECT COUNT(*) FROM new_bills
            """,  # noqa: S608 -- table names and fixed fragments only; values are params
            [*lines_params, month_param, now_param, month_param,
             LedgerEntry.Kind.BILL.value, f"Bill {month:%Y-%m}", now_param],
        )
        return cursor.fetchone()[0]


def _bills_generate_statements(month, month_param, now_param, lines_sql, lines_params) -> int:
    """Other databases (SQLite, the embedded mode): four statements. The bills this run created are the
    month's bills that have no deduction yet: committed bills always have one, because bill, lines and
    deduction are written in this one transaction."""
    bills, lines, ledger = Bill._meta.db_table, BillLine._meta.db_table, LedgerEntry._meta.db_table
    not_deducted = f"NOT EXISTS (SELECT 1 FROM {ledger} e WHERE e.bill_id = b.id)"  # noqa: S608
    with connection.cursor() as cursor:
        # Ordered by org so that two concurrent runs take the row locks in the same order (no deadlock).
        cursor.execute(
            f"""
            INSERT INTO {bills} (organization_id, month, total, line_count, created_at)
            SELECT DISTINCT c.organization_id, %s, 0, 0, %s FROM ({lines_sql}) c
            WHERE NOT EXISTS (SELECT 1 FROM {bills} x WHERE x.organization_id = c.organization_id AND x.month = %s)
            ORDER BY c.organization_id
            ON CONFLICT (organization_id, month) DO NOTHING
            """,  # noqa: S608 -- table names and fixed fragments only; values are params
            [month_param, now_param, *lines_params, month_param],
        )
        created = cursor.rowcount
        if created <= 0:
            return 0
        cursor.execute(
            f"""
            INSERT INTO {lines} (bill_id, order_id, app_id, start_date, end_date, days, monthly_fee, amount)
            SELECT b.id, c.order_id, c.app_id, c.start_date, c.end_date, c.days, c.monthly_fee,
                   c.amount_cents / 100.0
            FROM ({lines_sql}) c JOIN {bills} b ON b.organization_id = c.organization_id AND b.month = %s
            WHERE {not_deducted}
            """,  # noqa: S608 -- table names and fixed fragments only; values are params
            [*lines_params, month_param],
        )
        # Summed in integer cents: exact on SQLite too, where decimals are stored as floating point.
        cursor.execute(
            f"""
            UPDATE {bills} SET total = COALESCE(
                (SELECT SUM(CAST(ROUND(l.amount * 100) AS BIGINT)) FROM {lines} l WHERE l.bill_id = {bills}.id), 0
            ) / 100.0,
            line_count = (SELECT COUNT(*) FROM {lines} l WHERE l.bill_id = {bills}.id)
            WHERE {bills}.month = %s
              AND NOT EXISTS (SELECT 1 FROM {ledger} e WHERE e.bill_id = {bills}.id)
            """,  # noqa: S608 -- table names and fixed fragments only; values are params
            [month_param],
        )
        cursor.execute(
            f"""
            INSERT INTO {ledger} (organization_id, kind, amount, bill_id, note, created_at)
            SELECT b.organization_id, %s, 0 - b.total, b.id, %s, %s FROM {bills} b
            WHERE b.month = %s AND {not_deducted}
            """,  # noqa: S608 -- table names and fixed fragments only; values are params
            [LedgerEntry.Kind.BILL.value, f"Bill {month:%Y-%m}", now_param, month_param],
        )
    return created


def last_billable_month(*, now: dt.datetime | None = None) -> dt.date:
    """From the 5th on, last month is due; before it, the month before (in case that one was missed)."""
    today = business_date(now)
    last = previous_month_start(today)
    return last if today.day >= BILLING_DAY else previous_month_start(last)


def bills_due(*, now: dt.datetime | None = None) -> int:
    """Bill every (org, month) not yet billed, up to the last billable month: catches up after downtime.

    Each month is its own transaction, so a failure keeps the months already billed. Months already
    billed cost one INSERT that inserts nothing.
    """
    now = now or timezone.now()
    first_purchase = Order.objects.aggregate(first=Min("purchase_date"))["first"]
    if first_purchase is None:
        return 0
    last = last_billable_month(now=now)
    month, billed = month_start(first_purchase), 0
    while month <= last:
        billed += bills_generate(month=month, now=now)
        month = next_month_start(month)
    return billed


# --- Top-ups and adjustments ---------------------------------------------------------------------------


def _money(amount: Decimal, *, positive: bool) -> Decimal:
    amount = Decimal(amount)
    if amount != quantize_money(amount):
        raise InvalidAmount(_("Enter an amount with at most two decimal places."))
    if positive and amount <= 0:
        raise InvalidAmount(_("The amount must be greater than zero."))
    if not positive and amount == 0:
        raise InvalidAmount(_("An adjustment cannot be zero."))
    return quantize_money(amount)


@transaction.atomic
def topup_request_create(*, organization, user, amount: Decimal, reference: str) -> TopUpRequest:
    request = TopUpRequest(
        organization=organization, requested_by=user, amount=_money(amount, positive=True), reference=reference
    )
    request.full_clean()
    request.save()
    audit_record(
        organization=organization, actor=user, action="billing.topup_requested",
        summary=f"Top-up requested: {request.amount} ({reference})",
        detail={"topup_request": request.pk, "amount": str(request.amount), "reference": reference},
    )
    return request


def _topup_decide(*, topup_id: int, staff, status: str, action: str, now: dt.datetime) -> TopUpRequest:
    """Lock a pending request and record the decision and its audit entry; a decided one raises."""
    request = TopUpRequest.objects.select_for_update().get(pk=topup_id)
    if request.status != TopUpRequest.Status.PENDING:
        raise TopUpAlreadyDecided(_("This top-up request has already been decided."))
    request.status, request.decided_by, request.decided_at = status, staff, now
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        organization=request.organization, actor=staff, action=action,
        summary=f"Top-up {status}: {request.amount} ({request.reference})",
        detail={"topup_request": request.pk, "amount": str(request.amount)},
    )
    return request


@transaction.atomic
def topup_confirm(*, topup_id: int, staff, now: dt.datetime | None = None) -> LedgerEntry:
    """Credit the ledger with a pending request, exactly once (row lock; the entry is one-to-one)."""
    now = now or timezone.now()
    request = _topup_decide(topup_id=topup_id, staff=staff, status=TopUpRequest.Status.CONFIRMED,
                            action="billing.topup_confirmed", now=now)
    entry = LedgerEntry(
        organization_id=request.organization_id, kind=LedgerEntry.Kind.TOPUP, amount=request.amount,
        topup=request, note=request.reference[:255], created_by=staff, created_at=now,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def topup_reject(*, topup_id: int, staff, now: dt.datetime | None = None) -> TopUpRequest:
    return _topup_decide(topup_id=topup_id, staff=staff, status=TopUpRequest.Status.REJECTED,
                         action="billing.topup_rejected", now=now or timezone.now())


@transaction.atomic
def ledger_adjust(*, organization, amount: Decimal, note: str, staff) -> LedgerEntry:
    """A signed correction by platform staff; the note says why."""
    if not note.strip():
        raise InvalidAmount(_("Say why in the note."))
    entry = LedgerEntry(
        organization=organization, kind=LedgerEntry.Kind.ADJUSTMENT, amount=_money(amount, positive=False),
        note=note.strip(), created_by=staff,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        organization=organization, actor=staff, action="billing.adjusted",
        summary=f"Balance adjusted: {entry.amount} ({entry.note})",
        detail={"ledger_entry": entry.pk, "amount": str(entry.amount)},
    )
    return entry


@transaction.atomic
def ledger_topup(*, organization, amount: Decimal, reference: str, actor=None) -> LedgerEntry:
    """A top-up recorded by operations (management command) without a request in the console."""
    entry = LedgerEntry(
        organization=organization, kind=LedgerEntry.Kind.TOPUP, amount=_money(amount, positive=True),
        note=reference, created_by=actor,
    )
    entry.full_clean()
    entry.save()
    audit_record(
        organization=organization, actor=actor, action="billing.topup_recorded",
        summary=f"Top-up recorded: {entry.amount} ({reference})",
        detail={"ledger_entry": entry.pk, "amount": str(entry.amount), "reference": reference},
    )
    return entry
