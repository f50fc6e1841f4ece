"""Account center, bills and top-up requests as members see them."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from billing.models import Bill, LedgerEntry, TopUpRequest
from billing.services import bills_generate
from tests.applications.factories import AppFactory
from tests.billing.factories import LedgerEntryFactory, TopUpRequestFactory, at, order_bought

D = dt.date
pytestmark = pytest.mark.django_db


def url(name: str, org, **kwargs) -> str:
    return reverse(f"billing:{name}", kwargs={"org_name": org.name, **kwargs})


def bill_url(org, month: dt.date) -> str:
    return url("bill_detail", org, year=month.year, month=f"{month.month:02d}")


@pytest.fixture
def february_bill(org, app):
    order = order_bought(D(2026, 2, 10), app=app)
    bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 5)))
    return Bill.objects.get(organization=org), order


def test_account_center_shows_balance_estimate_ledger_and_chart(owner_client, org, app, february_bill):
    LedgerEntryFactory(organization=org, kind=LedgerEntry.Kind.TOPUP, amount=Decimal("20000.00"), note="BANK-1",
                       created_at=at(D(2026, 2, 1)))
    with time_machine.travel(at(D(2026, 3, 20), hour=12), tick=False):
        page = owner_client.get(url("account", org)).content.decode()
    assert "¥19,397.43" in page  # 20,000 − 602.57
    assert "In good standing" in page
    # March 1–20 inclusive of the Pro order still in service: 888 × 20 / 31 = 572.903…
    assert "¥572.90" in page
    assert "Bill for 2026-02" in page and "BANK-1" in page
    assert '<svg class="chart-bars"' in page
    assert len(re.findall(r'<rect class="bar"', page)) == 1
    assert "2025-04" in page and "2026-02" in page  # the 12 months up to last month
    assert "style=" not in page and "<script>" not in page


def test_month_to_date_estimate_counts_today_and_orders_still_provisioning(owner_client, org, app):
    from orders.models import Order

    order_bought(D(2026, 2, 20), app=app, status=Order.Status.PROVISIONING)
    with time_machine.travel(at(D(2026, 2, 20), hour=9), tick=False):
        page = owner_client.get(url("account", org)).content.decode()
    assert "¥31.71" in page  # one day: 888 / 28


def test_negative_balance_shows_arrears_state_and_banner(owner_client, org, february_bill):
    page = owner_client.get(url("account", org)).content.decode()
    assert "−¥602.57" in page
    assert "In arrears" in page
    assert 'id="arrears-banner"' in page
    assert 'id="arrears-banner"' in owner_client.get(url("bill_list", org)).content.decode()


def test_finance_sees_the_top_up_form_and_admin_does_not(member_client, org):
    assert "Request a top-up" in member_client(Role.FINANCE).get(url("account", org)).content.decode()
    assert "Request a top-up" not in member_client(Role.ADMIN).get(url("account", org)).content.decode()


def test_top_up_request_by_finance_is_pending_until_staff_confirm(member_client, org):
    response = member_client(Role.FINANCE).post(
        url("topup_request", org), {"amount": "5000.50", "reference": "ICBC-778"}, follow=True
    )
    assert "Top-up request sent" in response.content.decode()
    request = TopUpRequest.objects.get(organization=org)
    assert (request.amount, request.reference, request.status) == (
        Decimal("5000.50"), "ICBC-778", TopUpRequest.Status.PENDING)
    assert "ICBC-778" in response.content.decode()  # listed as pending
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("amount", "reference"),
    [("0", "R"), ("-10", "R"), ("1.001", "R"), ("1000000.01", "R"), ("lots", "R"), ("100", ""), ("100", "x" * 129)],
)
def test_bad_top_up_request_is_a_form_error_and_saves_nothing(owner_client, org, amount, reference):
    response = owner_client.post(url("topup_request", org), {"amount": amount, "reference": reference})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not TopUpRequest.objects.exists()


def test_admin_may_not_request_a_top_up(member_client, org):
    response = member_client(Role.ADMIN).post(url("topup_request", org), {"amount": "10", "reference": "R"})
    assert response.status_code == 403
    assert not TopUpRequest.objects.exists()


@pytest.mark.parametrize("name", ["account", "bill_list", "export_bills", "export_orders", "export_ledger"])
def test_billing_pages_are_for_owner_admin_and_finance_only(member_client, org, name):
    for role in (Role.OWNER, Role.ADMIN, Role.FINANCE):
        assert member_client(role).get(url(name, org)).status_code == 200
    assert member_client(Role.DEVELOPER).get(url(name, org)).status_code == 403


@pytest.mark.parametrize("name", ["account", "bill_list", "export_bills", "export_orders", "export_ledger"])
def test_another_orgs_billing_pages_answer_404(other_org_client, org, name):
    assert other_org_client.get(url(name, org)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, org):
    response = client.get(url("account", org))
    assert response.status_code == 302 and "login" in response["Location"]


def test_bill_list_shows_the_orgs_bills_only(owner_client, org, other_org, february_bill):
    order_bought(D(2026, 1, 10), app=AppFactory(organization=other_org))
    bills_generate(month=D(2026, 1, 1), now=at(D(2026, 3, 5)))
    page = owner_client.get(url("bill_list", org)).content.decode()
    assert "2026-02" in page and "¥602.57" in page
    assert "2026-01" not in page


def test_bill_detail_lists_a_line_per_order_linking_to_the_order(owner_client, org, february_bill):
    bill, order = february_bill
    page = owner_client.get(bill_url(org, bill.month)).content.decode()
    assert "acme#chat" in page
    assert order.number in page
    assert "2026-02-10" in page and "2026-03-01" in page
    assert "¥888.00" in page and "¥602.57" in page
    detail = reverse("orders:order_detail", kwargs={"org_name": org.name, "number": order.number})
    assert f'href="{detail}"' in page


def test_bill_detail_of_another_org_or_a_missing_month_is_404(owner_client, other_org_client, org, february_bill):
    bill, _order = february_bill
    assert other_org_client.get(bill_url(org, bill.month)).status_code == 404
    assert owner_client.get(bill_url(org, D(2026, 1, 1))).status_code == 404
    assert owner_client.get(url("bill_detail", org, year=2026, month=13)).status_code == 404


def _queries(client, path) -> int:
    client.get(path)  # warm-up (current org, caches): count a later one
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)


def test_bill_list_query_count_does_not_grow_with_bills(owner_client, org):
    Bill.objects.create(organization=org, month=D(2020, 1, 1), total=Decimal("1.00"))
    one = _queries(owner_client, url("bill_list", org))
    for index in range(1, 30):
        Bill.objects.create(organization=org, month=D(2020 + index // 12, index % 12 + 1, 1), total=Decimal("1.00"))
    assert _queries(owner_client, url("bill_list", org)) == one


def test_account_center_query_count_does_not_grow_with_ledger_rows_or_requests(owner_client, org):
    LedgerEntryFactory(organization=org)
    TopUpRequestFactory(organization=org)
    one = _queries(owner_client, url("account", org))
    LedgerEntryFactory.create_batch(29, organization=org)
    TopUpRequestFactory.create_batch(29, organization=org)
    assert _queries(owner_client, url("account", org)) == one


def test_bill_detail_query_count_does_not_grow_with_lines(owner_client, org):
    def bill_with_apps(month: dt.date, count: int) -> None:
        for index in range(count):
            order_bought(month, app=AppFactory(organization=org, name=f"a{month:%m}-{index}"))
        bills_generate(month=month, now=at(D(2027, 1, 5)))

    bill_with_apps(D(2026, 1, 1), 1)
    one = _queries(owner_client, bill_url(org, D(2026, 1, 1)))
    # The January orders are still in service in March, so March has 1 + 29 lines.
    bill_with_apps(D(2026, 3, 1), 29)
    assert Bill.objects.get(month=D(2026, 3, 1)).lines.count() == 30
    assert _queries(owner_client, bill_url(org, D(2026, 3, 1))) == one


def test_a_bill_page_lists_its_lines_by_date_then_app_and_reads_them_once(owner_client, org):
    # Bought in this order: the page sorts by start date, then AppName, whatever the ids.
    for name, day in (("zeta", 3), ("alpha", 3), ("mid", 1)):
        order_bought(D(2026, 1, day), app=AppFactory(organization=org, name=name))
    bills_generate(month=D(2026, 1, 1), now=at(D(2026, 2, 5)))
    page = owner_client.get(bill_url(org, D(2026, 1, 1))).content.decode()
    assert [page.index(f"acme#{name}<") for name in ("mid", "alpha", "zeta")] == sorted(
        page.index(f"acme#{name}<") for name in ("mid", "alpha", "zeta"))
    with CaptureQueriesContext(connection) as ctx:
        again = owner_client.get(bill_url(org, D(2026, 1, 1))).content.decode()
    def lines(html: str) -> str:
        return html[html.index('id="bill-lines"'):html.index("</table>", html.index('id="bill-lines"'))]

    assert lines(again) == lines(page)  # a bill never changes: its page is kept in the cache
    assert not [q for q in ctx.captured_queries if "billing_billline" in q["sql"]]


def test_ledger_paginates_twenty_per_page(owner_client, org):
    for index in range(25):
        LedgerEntryFactory(organization=org, note=f"entry-{index:02d}", created_at=at(D(2026, 1, 1)) +
                           dt.timedelta(minutes=index))
    first = owner_client.get(url("account", org)).content.decode()
    second = owner_client.get(url("account", org) + "?page=2").content.decode()
    assert "entry-24" in first and "entry-05" in first and "entry-04" not in first
    assert "entry-04" in second and "entry-00" in second
    assert "Page 2 of 2" in second


def test_the_top_up_form_shows_the_payment_account_staff_set_and_the_reference_to_quote(member_client, org):
    from billing.models import PaymentAccount

    finance = member_client(Role.FINANCE)
    assert 'id="payment-account-missing"' in finance.get(url("account", org)).content.decode()
    PaymentAccount.objects.update_or_create(pk=1, defaults={
        "payee": "Demo IM Cloud Ltd.", "bank": "China Merchants Bank", "account_number": "1109 2026",
        "reference_prefix": "im-"})
    page = finance.get(url("account", org)).content.decode()
    assert "Demo IM Cloud Ltd." in page and "China Merchants Bank" in page and "1109 2026" in page
    assert 'id="payment-reference">IM-ACME<' in page


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.FINANCE])
def test_every_billing_reader_follows_the_orgs_top_up_requests_in_every_state(member_client, org, other_org, role):
    pending = TopUpRequestFactory(organization=org, reference="BANK-PENDING")
    TopUpRequestFactory(organization=org, reference="BANK-CONFIRMED", status=TopUpRequest.Status.CONFIRMED)
    TopUpRequestFactory(organization=org, reference="BANK-REJECTED", status=TopUpRequest.Status.REJECTED)
    TopUpRequestFactory(organization=other_org, reference="BANK-OTHER-ORG")
    page = member_client(role).get(url("account", org)).content.decode()
    rows = re.findall(r"<tr><td>.*?</tr>", page[page.index('id="topup-requests"'):])
    assert len(rows) == 3 and "BANK-OTHER-ORG" not in page
    states = {"BANK-PENDING": "Pending", "BANK-CONFIRMED": "Confirmed", "BANK-REJECTED": "Rejected"}
    for reference, state in states.items():
        assert any(reference in row and state in row for row in rows)
    assert pending.requested_by.email in page
