import csv
import datetime as dt
from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import org_view
from apps.accounts.roles import Action
from billing import charts, selectors
from billing.exceptions import BillingError
from billing.forms import TopUpRequestForm
from billing.services import topup_request_create
from console.errors import show_domain_error
from console.money import is_in_arrears, quantize_money
from console.timeutil import business_date, business_now, business_tz, month_start

PAGE_SIZE = 20
# A month of a large org has thousands of lines (one per order): the page shows them 50 at a time under the
# bill's stored total; the CSV export has every line.
BILL_LINES_PER_PAGE = 50


def _account_context(request, *, form: TopUpRequestForm | None = None) -> dict:
    organization = request.organization
    today = business_date()
    figures = selectors.account_figures(organization=organization)
    totals, last_bill = selectors.account_bills(organization=organization)
    ledger = Paginator(selectors.LedgerRows(organization_id=organization.pk, count=figures.ledger_count), PAGE_SIZE)
    return {
        "balance": figures.balance,
        "in_arrears": is_in_arrears(figures.balance),
        "month_to_date": figures.month_to_date,
        "month_first": month_start(today),
        "today": today,
        "last_bill": last_bill,
        "chart": charts.bar_chart([(f"{month:%Y-%m}", total) for month, total in totals]),
        "ledger_page": ledger.get_page(request.GET.get("page")),
        "topups": selectors.topup_request_recent_rows(organization_id=organization.pk) if figures.has_topups else [],
        "payment_account": figures.payment_account,
        "payment_reference": figures.payment_account.reference_for(organization),
        "form": form or TopUpRequestForm(),
    }


@org_view(Action.VIEW_BILLING)
def account(request, org_name: str):
    return render(request, "billing/account.html", _account_context(request))


@require_POST
@org_view(Action.REQUEST_TOPUP)
def topup_request(request, org_name: str):
    form = TopUpRequestForm(request.POST)
    if form.is_valid():
        try:
            topup_request_create(
                organization=request.organization, user=request.user,
                amount=form.cleaned_data["amount"], reference=form.cleaned_data["reference"],
            )
        except BillingError as error:
            show_domain_error(request, error, form=form, field="amount")
        else:
            messages.success(request, _("Top-up request sent. The balance is credited when staff confirm the payment."))
            return redirect("billing:account", org_name=org_name)
    return render(request, "billing/account.html", _account_context(request, form=form), status=400)


@org_view(Action.VIEW_BILLING)
def bill_list(request, org_name: str):
    page = Paginator(selectors.BillListRows(organization=request.organization), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "billing/bill_list.html", {"page": page})


_NUMBER = "ORDERNUMBER"


def _order_url_maker(org_name: str):
    """Links order numbers to the order details page: one reverse per page, not per line (order numbers are
    letters and digits)."""
    template = reverse("orders:order_detail", kwargs={"org_name": org_name, "number": _NUMBER})
    return lambda number: template.replace(_NUMBER, number)


@org_view(Action.VIEW_BILLING)
def bill_detail(request, org_name: str, year: int, month: int):
    try:
        first = dt.date(year, month, 1)
    except (ValueError, OverflowError) as error:  # month 13, or a year of 30 digits
        raise Http404("No such month.") from error
    bill = selectors.bill_of_month(organization=request.organization, month=first)
    if bill is None:
        raise Http404("No bill for this month.")
    all_lines = selectors.BillLineRows(bill=bill, org_name=request.organization.name)
    page = Paginator(all_lines, BILL_LINES_PER_PAGE).get_page(request.GET.get("page"))
    lines = page.object_list
    order_url = _order_url_maker(org_name)
    for line in lines:
        line["order_url"] = order_url(line["order_number"])
    return render(request, "billing/bill_detail.html", {"bill": bill, "lines": lines, "page": page})


# --- CSV exports ------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """Plain strings; text a spreadsheet would run as a formula (=, +, -, @) is quoted with a leading '."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(business_tz()).strftime("%Y-%m-%d %H:%M:%S")
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv_response(request, name: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"  # the BOM tells Excel the file is UTF-8 (Chinese names and labels)
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    filename = f"{request.organization.name}-{name}-{business_now():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@org_view(Action.VIEW_BILLING)
def export_bills(request, org_name: str):
    """Every bill line of the org: one row per order and day range, with its bill's month and total."""
    lines = selectors.bill_lines_for_export(organization=request.organization).iterator(chunk_size=2000)
    header = [_("Month"), _("Bill total"), _("Issued at"), _("AppKey"), _("Order number"), _("From"),
              _("Until (exclusive)"), _("Days"), _("Monthly fee"), _("Amount")]
    rows = (
        [f"{line.bill.month:%Y-%m}", line.bill.total, line.bill.created_at, line.app.app_key, line.order.number,
         line.start_date, line.end_date, line.days, line.monthly_fee, line.amount]
        for line in lines
    )
    return _csv_response(request, "bills", header, rows)


@org_view(Action.VIEW_BILLING)
def export_orders(request, org_name: str):
    orders = selectors.order_list_for_export(organization=request.organization).iterator(chunk_size=2000)
    header = [_("Order number"), _("AppKey"), _("Plan"), _("Status"), _("Purchased at"), _("Purchase date"),
              _("Charged until (exclusive)"), _("Monthly fee"), _("Estimated fee"), _("Buyer")]
    rows = (
        [order.number, order.app.app_key, order.plan.name if order.plan else _("Add-ons"),
         order.get_status_display(), order.created_at, order.purchase_date, order.charge_end_date,
         order.monthly_fee, order.estimated_fee, order.buyer.email]
        for order in orders
    )
    return _csv_response(request, "orders", header, rows)


@org_view(Action.VIEW_BILLING)
def export_ledger(request, org_name: str):
    entries = selectors.ledger_entry_list(organization=request.organization)
    header = [_("Time"), _("Kind"), _("Amount"), _("Balance after"), _("Bill"), _("Note")]
    rows = (
        [entry.created_at, entry.get_kind_display(), entry.amount, quantize_money(entry.balance_after),
         f"{entry.bill.month:%Y-%m}" if entry.bill else "", entry.note]
        for entry in entries.iterator(chunk_size=2000)
    )
    return _csv_response(request, "ledger", header, rows)
