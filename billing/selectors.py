import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet, Sum, Window
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.applications.models import App
from billing.models import Bill, BillLine, LedgerEntry, PaymentAccount, TopUpRequest
from console.fields import MoneyField
from console.generations import generational
from console.money import ZERO, is_in_arrears, quantize_money
from console.sqlrows import PagedRows, aware, fetch, money, table
from console.timeutil import business_date, previous_month_start
from orders.charges import order_charged_lines_sql
from orders.models import Order


def org_balance(*, organization) -> Decimal:
    """The balance is the sum of the ledger; nothing else stores it."""
    total = LedgerEntry.objects.filter(organization=organization).aggregate(total=Sum("amount"))["total"]
    return quantize_money(total) if total is not None else ZERO


def org_in_arrears(*, organization) -> bool:
    """Exact (the ledger summed now): what a purchase checks."""
    return is_in_arrears(org_balance(organization=organization))


def arrears_purchase_refusal(organization) -> str | None:
    """Registered with orders (BillingConfig.ready): an organization in arrears may not buy."""
    if org_in_arrears(organization=organization):
        return _("The organization is in arrears: top up the balance before buying.")
    return None


_ARREARS_KEY = "billing:arrears:{}"
_LEDGER_GENERATION_KEY = "billing:ledger-generation"


def org_in_arrears_for_banner(*, organization, found: dict | None = None) -> bool:
    """The arrears banner of every org page: ``org_in_arrears`` kept in the cache, so a page does not sum the
    ledger. A ledger row saved or deleted forgets its org's entry and a billing run forgets every org's
    (billing.signals), once the transaction commits; CONSOLE_CACHE_SECONDS bounds anything missed. ``found``: the
    cache's answer for ``arrears_cache_keys``, read by the caller with other keys."""
    return generational(_ARREARS_KEY.format(organization.pk), _LEDGER_GENERATION_KEY,
                        lambda: org_in_arrears(organization=organization), found=found)


def arrears_cache_keys(*, organization_id: int) -> list[str]:
    return [_ARREARS_KEY.format(organization_id), _LEDGER_GENERATION_KEY]


def forget_org_arrears(*, organization_id: int | None = None) -> None:
    """Forget one org's cached arrears flag, or every org's (``None``: a new ledger generation)."""
    if organization_id is None:
        cache.set(_LEDGER_GENERATION_KEY, uuid.uuid4().hex, None)
    else:
        cache.delete(_ARREARS_KEY.format(organization_id))


def ledger_entry_list(*, organization) -> QuerySet[LedgerEntry]:
    """Newest first, each with the balance right after it (a running sum in the database; on SQLite a
    float sum, so quantize it before showing it), and its bill's month. Only what the account center and the
    ledger export show (issue 14: the top-up and its author, read whole per row, were shown by neither)."""
    running = Window(
        Sum("amount"), order_by=[F("created_at").asc(), F("id").asc()],
        output_field=MoneyField(),
    )
    return (
        LedgerEntry.objects.filter(organization=organization)
        .select_related("bill")
        .only("organization_id", "kind", "amount", "note", "created_at", "bill__month")
        .annotate(balance_after=running)
        .order_by("-created_at", "-id")
    )


RECENT_TOPUPS = 20


def topup_request_recent_rows(*, organization_id: int) -> list[dict]:
    """The org's latest top-up requests in every state, newest first (what its billing readers may follow), as the
    values the account center shows: ``created_at``, ``amount``, ``reference``, ``status`` and its
    ``status_label``, ``requested_by_email``, ``decided_at``."""
    labels = dict(TopUpRequest.Status.choices)
    rows = fetch(
        f"""SELECT t.created_at, t.amount, t.reference, t.status, u.email, t.decided_at
        FROM {table(TopUpRequest)} t JOIN {table(User)} u ON u.id = t.requested_by_id
        WHERE t.organization_id = %s ORDER BY t.created_at DESC, t.id DESC LIMIT %s""",  # noqa: S608
        [organization_id, RECENT_TOPUPS],
    )
    return [
        {"created_at": aware(created_at), "amount": money(amount), "reference": reference, "status": status,
         "status_label": labels.get(status, status), "requested_by_email": email, "decided_at": aware(decided_at)}
        for created_at, amount, reference, status, email, decided_at in rows
    ]


class BillListRows(PagedRows):
    """The org's bills for a Paginator, newest first, as the values the bill list shows: ``month``, ``total``,
    ``created_at`` and the stored ``line_count``; counted once, each page one statement (issue 14: the same two
    reads as ORM queries and model instances cost 2 ms of CPU a page)."""

    def __init__(self, *, organization):
        self.organization_id = organization.pk

    @cached_property
    def count(self) -> int:
        (count,), = fetch(f"SELECT COUNT(*) FROM {table(Bill)} WHERE organization_id = %s",  # noqa: S608
                          [self.organization_id])
        return count

    def page(self, *, offset: int, limit: int) -> list[dict]:
        rows = fetch(
            f"""SELECT month, total, created_at, line_count FROM {table(Bill)} WHERE organization_id = %s
                ORDER BY month DESC LIMIT %s OFFSET %s""",  # noqa: S608
            [self.organization_id, limit, offset],
        )
        return [{"month": month, "total": money(total), "created_at": aware(created_at), "line_count": line_count}
                for month, total, created_at, line_count in rows]


def bill_of_month(*, organization, month: dt.date) -> Bill | None:
    """The org's bill of ``month`` (its first day), or None: one statement, not an ORM query (issue 14)."""
    rows = fetch(
        f"SELECT id, total, line_count, created_at FROM {table(Bill)} WHERE organization_id = %s AND month = %s",  # noqa: S608
        [organization.pk, connection.ops.adapt_datefield_value(month)],
    )
    if not rows:
        return None
    ((pk, total, line_count, created_at),) = rows
    return Bill(pk=pk, organization_id=organization.pk, month=month, total=money(total), line_count=line_count,
                created_at=aware(created_at))


BILL_PAGE_CACHE_SECONDS = 3600


class BillLineRows(PagedRows):
    """A bill's lines for a Paginator, by start date, app name and id: their number is the bill's stored
    ``line_count`` (issue 14: counting a 5,000-line month cost 1 ms of PostgreSQL a page), each page read when
    sliced, as the values a bill's page shows: dates, days, fee, amount, ``order_number``, ``app_name`` and its
    ``org_name``.

    A page is one statement, kept in the cache: sorting a month's lines costs PostgreSQL 2-3 ms per 5,000 lines
    on every view, and nothing a page shows ever changes (lines are written once with their bill and never
    updated; order numbers, AppNames and OrgNames are fixed at creation). The key has the bill's id and issue
    time, so a bill deleted in the admin and billed again is read afresh."""

    def __init__(self, *, bill: Bill, org_name: str):
        # The bill's lines are its org's orders and apps: every AppKey starts with its OrgName.
        self.bill, self.count, self.org_name = bill, bill.line_count, org_name

    def page(self, *, offset: int, limit: int) -> list[dict]:
        key = f"billing:bill-lines:{self.bill.pk}:{self.bill.created_at.timestamp()}:{offset}:{limit}"
        rows = cache.get(key)
        if rows is None:
            rows = self._read(offset=offset, limit=limit)
            cache.set(key, rows, BILL_PAGE_CACHE_SECONDS)
        return rows

    def _read(self, *, offset: int, limit: int) -> list[dict]:
        # The month's line ids are sorted with their app's name only, then the page's lines joined to their
        # order (sorting the lines joined to orders and orgs cost 15 ms).
        rows = fetch(
            f"""SELECT line.start_date, line.end_date, line.days, line.monthly_fee, line.amount, o.number, app.name
                FROM (SELECT line.id, line.start_date, app.name AS app_name
                      FROM {table(BillLine)} line JOIN {table(App)} app ON app.id = line.app_id
                      WHERE line.bill_id = %s ORDER BY line.start_date, app.name, line.id LIMIT %s OFFSET %s) page
                JOIN {table(BillLine)} line ON line.id = page.id
                JOIN {table(Order)} o ON o.id = line.order_id
                JOIN {table(App)} app ON app.id = line.app_id
                ORDER BY page.start_date, page.app_name, page.id""",  # noqa: S608
            [self.bill.pk, limit, offset],
        )
        return [
            {"start_date": start_date, "end_date": end_date, "days": days, "monthly_fee": money(monthly_fee),
             "amount": money(amount), "order_number": number, "app_name": app_name, "org_name": self.org_name}
            for start_date, end_date, days, monthly_fee, amount, number, app_name in rows
        ]


def bill_lines_for_export(*, organization) -> QuerySet[BillLine]:
    return (
        BillLine.objects.filter(bill__organization=organization)
        .select_related("bill", "order", "app__organization")
        .order_by("-bill__month", "start_date", "id")
    )


def order_list_for_export(*, organization) -> QuerySet[Order]:
    return (
        Order.objects.filter(organization=organization)
        .select_related("app__organization", "plan", "buyer")
        .order_by("-created_at", "-id")
    )


def _month_to_date_sql(*, organization_id: int, now: dt.datetime | None) -> tuple[str, list]:
    """This month's charges from the 1st to today inclusive, in cents, priced by the same SQL as bills."""
    today = business_date(now)
    sql, params = order_charged_lines_sql(month=today, until=today + dt.timedelta(days=1),
                                          organization_id=organization_id)
    return f"SELECT COALESCE(SUM(lines.amount_cents), 0) FROM ({sql}) lines", params  # noqa: S608


def month_to_date_consumption(*, organization, now: dt.datetime | None = None) -> Decimal:
    """This month's charges from the 1st to today inclusive, priced by the same SQL as bills."""
    sql, params = _month_to_date_sql(organization_id=organization.pk, now=now)
    (cents,), = fetch(sql, params)
    return quantize_money(Decimal(int(cents)) / 100)


# --- The account center: a few plain SQL statements (issue 14: its eight ORM queries cost 7.6 ms of CPU a page,
# building and compiling each; the same reads as SQL cost under 1 ms).


@dataclass(frozen=True)
class AccountFigures:
    balance: Decimal
    ledger_count: int
    month_to_date: Decimal
    has_topups: bool
    payment_account: PaymentAccount


def account_figures(*, organization, now: dt.datetime | None = None) -> AccountFigures:
    """The account center's figures in one statement: the balance (the ledger summed, as ``org_balance``), the
    number of ledger entries (its pager), this month's consumption so far (``month_to_date_consumption``),
    whether the org has top-up requests, and the payment account (an empty one before staff set it)."""
    month_sql, month_params = _month_to_date_sql(organization_id=organization.pk, now=now)
    ledger = table(LedgerEntry)
    (row,) = fetch(
        f"""SELECT (SELECT SUM(amount) FROM {ledger} WHERE organization_id = %s),
                   (SELECT COUNT(*) FROM {ledger} WHERE organization_id = %s),
                   ({month_sql}),
                   EXISTS (SELECT 1 FROM {table(TopUpRequest)} WHERE organization_id = %s),
                   account.payee, account.bank, account.account_number, account.reference_prefix
            FROM (SELECT 1 AS one) base LEFT JOIN {table(PaymentAccount)} account ON account.id = 1""",  # noqa: S608
        [organization.pk, organization.pk, *month_params, organization.pk],
    )
    balance, ledger_count, month_cents, has_topups, payee, bank, account_number, prefix = row
    account = PaymentAccount(pk=1)
    if prefix is not None:
        account = PaymentAccount(pk=1, payee=payee, bank=bank, account_number=account_number,
                                 reference_prefix=prefix)
    return AccountFigures(
        balance=ZERO if balance is None else money(balance), ledger_count=ledger_count,
        month_to_date=quantize_money(Decimal(int(month_cents)) / 100), has_topups=bool(has_topups),
        payment_account=account,
    )


def account_bills(*, organization, now: dt.datetime | None = None, months: int = 12) -> tuple[list[tuple], dict | None]:
    """The bill totals of the ``months`` months up to last month, oldest first, as (month, total) (a month without
    a bill is 0), and the org's last bill as {"month", "total"} (None before the first), in one statement."""
    last = previous_month_start(business_date(now))
    wanted = [last]
    while len(wanted) < months:
        wanted.append(previous_month_start(wanted[-1]))
    wanted.reverse()
    bills = table(Bill)
    rows = fetch(
        f"""SELECT month, total FROM {bills} WHERE organization_id = %s
            AND (month >= %s OR month = (SELECT MAX(month) FROM {bills} WHERE organization_id = %s))
            ORDER BY month""",  # noqa: S608
        [organization.pk, connection.ops.adapt_datefield_value(wanted[0]), organization.pk],
    )
    totals = {month: money(total) for month, total in rows}
    last_bill = {"month": rows[-1][0], "total": totals[rows[-1][0]]} if rows else None
    return [(month, totals.get(month, ZERO)) for month in wanted], last_bill


class LedgerRows(PagedRows):
    """An org's ledger for a Paginator: newest first, the number of entries known beforehand (``account_figures``),
    each page read when sliced, as the values the account center shows: ``kind``, ``amount``, ``note``,
    ``created_at``, ``bill_month`` and ``balance_after`` (the balance right after the entry, a running sum in the
    database)."""

    def __init__(self, *, organization_id: int, count: int):
        self.organization_id, self.count = organization_id, count

    def page(self, *, offset: int, limit: int) -> list[dict]:
        rows = fetch(
            f"""SELECT entry.kind, entry.amount, entry.note, entry.created_at, bill.month,
                       SUM(entry.amount) OVER (ORDER BY entry.created_at, entry.id)
                FROM {table(LedgerEntry)} entry LEFT JOIN {table(Bill)} bill ON bill.id = entry.bill_id
                WHERE entry.organization_id = %s
                ORDER BY entry.created_at DESC, entry.id DESC LIMIT %s OFFSET %s""",  # noqa: S608
            [self.organization_id, limit, offset],
        )
        return [
            {"kind": kind, "amount": money(amount), "note": note, "created_at": aware(created_at),
             "bill_month": bill_month, "balance_after": money(balance_after)}
            for kind, amount, note, created_at, bill_month, balance_after in rows
        ]
