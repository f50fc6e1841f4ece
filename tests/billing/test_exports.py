"""CSV exports: UTF-8 with a BOM for Excel, plain decimal strings, only the org's own rows."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from billing.models import LedgerEntry
from billing.services import bills_generate
from tests.applications.factories import AppFactory
from tests.billing.factories import LedgerEntryFactory, at, order_bought

D = dt.date
pytestmark = pytest.mark.django_db


def export(client, name: str, org) -> tuple[list[list[str]], object]:
    with time_machine.travel(at(D(2026, 3, 20), hour=9), tick=False):
        response = client.get(reverse(f"billing:export_{name}", kwargs={"org_name": org.name}))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return rows, response


@pytest.fixture
def billed(org, app, other_org):
    LedgerEntryFactory(organization=org, kind=LedgerEntry.Kind.TOPUP, amount=Decimal("1000.00"), note="BANK-1",
                       created_at=at(D(2026, 2, 1), hour=10))
    pro = order_bought(D(2026, 2, 10), app=app, ended=D(2026, 2, 20))
    flagship = order_bought(D(2026, 2, 20), app=app, plan=pro.plan.__class__.objects.get(code="flagship"))
    order_bought(D(2026, 2, 3), app=AppFactory(organization=other_org, name="theirs"))
    bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 5)))
    return pro, flagship


def test_bills_export_has_a_row_per_line_with_exact_amounts(owner_client, org, billed):
    pro, flagship = billed
    rows, response = export(owner_client, "bills", org)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="acme-bills-20260320.csv"'
    assert rows[0] == ["Month", "Bill total", "Issued at", "AppKey", "Order number", "From", "Until (exclusive)",
                       "Days", "Monthly fee", "Amount"]
    # 888 × 10 / 28 = 317.14; 2888 × 9 / 28 = 928.29
    assert rows[1:] == [
        ["2026-02", "1245.43", "2026-03-05 00:10:00", "acme#chat", pro.number, "2026-02-10", "2026-02-20", "10",
         "888.00", "317.14"],
        ["2026-02", "1245.43", "2026-03-05 00:10:00", "acme#chat", flagship.number, "2026-02-20", "2026-03-01", "9",
         "2888.00", "928.29"],
    ]


def test_orders_export_lists_the_orgs_orders(owner_client, org, billed):
    pro, flagship = billed
    rows, _response = export(owner_client, "orders", org)
    assert rows[0][:4] == ["Order number", "AppKey", "Plan", "Status"]
    assert [row[0] for row in rows[1:]] == [flagship.number, pro.number]
    assert rows[2][1:4] == ["acme#chat", "Pro", "Completed"]
    assert rows[2][5:8] == ["2026-02-10", "2026-02-20", "888.00"]
    assert rows[1][6] == ""  # still in service: no end of charging yet


def test_ledger_export_has_kind_amount_and_running_balance(owner_client, org, billed):
    rows, _response = export(owner_client, "ledger", org)
    assert rows[0] == ["Time", "Kind", "Amount", "Balance after", "Bill", "Note"]
    assert rows[1:] == [
        ["2026-03-05 00:10:00", "Bill deduction", "-1245.43", "-245.43", "2026-02", "Bill 2026-02"],
        ["2026-02-01 10:10:00", "Top-up", "1000.00", "1000.00", "", "BANK-1"],
    ]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_quoted(owner_client, org):
    LedgerEntryFactory(organization=org, note='=HYPERLINK("http://evil")')
    rows, _response = export(owner_client, "ledger", org)
    assert rows[1][5] == "'=HYPERLINK(\"http://evil\")"


def test_chinese_text_survives_the_export(owner_client, org):
    LedgerEntryFactory(organization=org, note="工商银行转账")
    rows, _response = export(owner_client, "ledger", org)
    assert rows[1][5] == "工商银行转账"


def test_exports_run_the_same_queries_for_one_row_or_thirty(owner_client, org, app):
    def count(name: str) -> int:
        export(owner_client, name, org)  # warm-up (current org, caches): count a later one
        with CaptureQueriesContext(connection) as context:
            export(owner_client, name, org)
        return len(context)

    order_bought(D(2026, 1, 5), app=app)
    LedgerEntryFactory(organization=org)
    bills_generate(month=D(2026, 1, 1), now=at(D(2026, 3, 5)))
    before = {name: count(name) for name in ("bills", "orders", "ledger")}
    for index in range(29):
        order_bought(D(2026, 2, 5), app=AppFactory(organization=org, name=f"more-{index}"))
        LedgerEntryFactory(organization=org)
    bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 5)))
    assert {name: count(name) for name in ("bills", "orders", "ledger")} == before
