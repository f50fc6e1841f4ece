import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F, QuerySet, Sum, Window
from django.utils.translation import gettext as _

from billing.models import Bill, BillLine, LedgerEntry, PaymentAccount, TopUpRequest
from console.fields import MoneyField
from console.money import ZERO, is_in_arrears, quantize_money
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


def org_in_arrears_for_banner(*, organization) -> bool:
    """The arrears banner of every org page: ``org_in_arrears`` kept in the cache, so a page does not sum the
    ledger. A ledger row saved or deleted forgets its org's entry and a billing run forgets every org's
    (billing.signals), once the transaction commits; CONSOLE_CACHE_SECONDS bounds anything missed."""
    key = _ARREARS_KEY.format(organization.pk)
    found = cache.get_many([key, _LEDGER_GENERATION_KEY])
    generation = found.get(_LEDGER_GENERATION_KEY)
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    value = org_in_arrears(organization=organization)
    cache.set(key, (generation, value), settings.CONSOLE_CACHE_SECONDS)
    return value


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


def topup_request_recent_list(*, organization) -> list[TopUpRequest]:
    """The org's latest top-up requests in every state, newest first (what its billing readers may follow)."""
    return list(
        TopUpRequest.objects.filter(organization=organization)
        .select_related("requested_by")
        .order_by("-created_at", "-id")[:RECENT_TOPUPS]
    )


def payment_account():
    """The account top-ups are transferred to (the singleton staff keep); an empty one before staff set it."""
    return PaymentAccount.objects.filter(pk=1).first() or PaymentAccount(pk=1)


def bill_list(*, organization) -> QuerySet[Bill]:
    """Newest first; each bill carries its number of lines (``Bill.line_count``, written with them)."""
    return Bill.objects.filter(organization=organization).order_by("-month")


BILL_LINE_ORDER = ("start_date", "app__name", "id")


def bill_line_list(*, bill: Bill) -> QuerySet[BillLine]:
    return bill.lines.select_related("order", "app__organization").order_by(*BILL_LINE_ORDER)


def bill_line_ids(*, bill: Bill) -> QuerySet:
    """The ids of the bill's lines in page order, for a paginator: sorting a 5,000-line month joined to the orders
    and the orgs cost 15 ms a page; the ids need the app's name only (1.5 ms), then ``bill_lines_by_id`` reads
    the page's rows (issue 14)."""
    return bill.lines.order_by(*BILL_LINE_ORDER).values_list("id", flat=True)


def bill_lines_by_id(*, ids: list[int]) -> list[dict]:
    """The lines of ``ids``, in the order of ``ids``, as the values a bill's page shows: dates, days, fee, amount,
    ``order_number``, ``app_name`` and its ``org_name`` (issue 14: 50 lines with their order, app and org as model
    instances cost 5 ms a page, these dicts 1 ms)."""
    rows = BillLine.objects.filter(id__in=ids).values(
        "id", "start_date", "end_date", "days", "monthly_fee", "amount",
        order_number=F("order__number"), app_name=F("app__name"), org_name=F("app__organization__name"),
    )
    by_id = {row["id"]: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


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


def month_to_date_consumption(*, organization, now: dt.datetime | None = None) -> Decimal:
    """This month's charges from the 1st to today inclusive, priced by the same SQL as bills."""
    today = business_date(now)
    sql, params = order_charged_lines_sql(
        month=today, until=today + dt.timedelta(days=1), organization_id=organization.pk
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(SUM(lines.amount_cents), 0) FROM ({sql}) lines", params)  # noqa: S608
        cents = cursor.fetchone()[0]
    return quantize_money(Decimal(int(cents)) / 100)


def monthly_bill_totals(*, organization, now: dt.datetime | None = None, months: int = 12) -> list[tuple]:
    """(month, total) for the ``months`` months up to last month, oldest first; a month without a bill is 0."""
    last = previous_month_start(business_date(now))
    wanted = [last]
    while len(wanted) < months:
        wanted.append(previous_month_start(wanted[-1]))
    wanted.reverse()
    totals = dict(
        Bill.objects.filter(organization=organization, month__gte=wanted[0], month__lte=last).values_list(
            "month", "total"
        )
    )
    return [(month, totals.get(month, ZERO)) for month in wanted]


def last_bill(*, organization) -> Bill | None:
    return Bill.objects.filter(organization=organization).order_by("-month").first()
