"""The monthly job: on or after the 5th (business time) each (org, month) is billed exactly once."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.exceptions import MonthNotOver
from billing.models import Bill, LedgerEntry
from billing.selectors import org_balance
from billing.services import bills_due, bills_generate
from billing.tasks import bill_due_months
from console.celery import app as celery_app
from tests.applications.factories import AppFactory
from tests.billing.factories import LedgerEntryFactory, at, order_bought

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def february_order(app):
    return order_bought(D(2026, 2, 10), app=app)  # 602.57 in February


def test_nothing_is_billed_before_the_5th_in_business_time(february_order):
    with time_machine.travel(at(D(2026, 3, 4), hour=23, minute=59), tick=False):
        assert bills_due() == 0
    assert not Bill.objects.exists()


def test_the_5th_starts_at_midnight_in_shanghai_not_utc(february_order):
    with time_machine.travel(dt.datetime(2026, 3, 4, 16, 10, tzinfo=dt.UTC), tick=False):  # 00:10 on the 5th
        assert bills_due() == 1
    assert Bill.objects.get().month == D(2026, 2, 1)


def test_the_bill_is_deducted_from_the_balance_in_the_same_run(org, february_order):
    LedgerEntryFactory(organization=org, kind=LedgerEntry.Kind.TOPUP, amount=Decimal("1000.00"))
    with time_machine.travel(at(D(2026, 3, 5)), tick=False):
        bills_due()
    bill = Bill.objects.get(organization=org)
    assert bill.total == Decimal("602.57")
    assert bill.deduction.kind == LedgerEntry.Kind.BILL
    assert bill.deduction.amount == Decimal("-602.57")
    assert bill.deduction.note == "Bill 2026-02"
    assert org_balance(organization=org) == Decimal("397.43")


def test_a_bill_larger_than_the_balance_puts_the_org_in_arrears(org, february_order):
    with time_machine.travel(at(D(2026, 3, 5)), tick=False):
        bills_due()
    assert org_balance(organization=org) == Decimal("-602.57")


def test_scheduler_down_from_the_4th_to_the_7th_then_run_twice_bills_once(org, february_order):
    with time_machine.travel(at(D(2026, 3, 7)), tick=False):
        assert bills_due() == 1
        assert bills_due() == 0
    assert Bill.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.BILL).count() == 1
    assert org_balance(organization=org) == Decimal("-602.57")


def test_the_job_catches_up_every_month_it_missed(org, app):
    order_bought(D(2026, 1, 20), app=app)
    with time_machine.travel(at(D(2026, 5, 2)), tick=False):  # before the 5th: April is not due yet
        assert bills_due() == 3
    assert list(Bill.objects.order_by("month").values_list("month", flat=True)) == [
        D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)
    ]


def test_a_later_run_bills_only_the_new_month(org, february_order):
    with time_machine.travel(at(D(2026, 3, 5)), tick=False):
        bills_due()
    with time_machine.travel(at(D(2026, 4, 5)), tick=False):
        assert bills_due() == 1
    assert Bill.objects.get(month=D(2026, 3, 1)).total == Decimal("888.00")
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.BILL).count() == 2


def test_a_month_that_has_not_ended_cannot_be_billed(february_order):
    with pytest.raises(MonthNotOver):
        bills_generate(month=D(2026, 2, 1), now=at(D(2026, 2, 28), hour=23, minute=59))
    assert not Bill.objects.exists()


def test_billing_runs_the_same_number_of_queries_for_one_org_or_ten(app):
    order_bought(D(2026, 2, 3), app=app)
    with CaptureQueriesContext(connection) as one:
        bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 5)))
    for _ in range(10):
        other = AppFactory()
        order_bought(D(2026, 3, 2), app=other, ended=D(2026, 3, 9))
        order_bought(D(2026, 3, 9), app=other, ended=D(2026, 3, 20))
        order_bought(D(2026, 3, 20), app=other)
    with CaptureQueriesContext(connection) as ten:
        assert bills_generate(month=D(2026, 3, 1), now=at(D(2026, 4, 5))) == 11
    assert len(ten) == len(one)


def test_the_task_is_registered_and_scheduled_daily_at_0010_business_time(org, february_order):
    celery_app.loader.import_default_modules()
    assert "billing.tasks.bill_due_months" in celery_app.tasks
    entry = settings.CELERY_BEAT_SCHEDULE["bill-due-months"]
    assert entry["task"] == "billing.tasks.bill_due_months"
    assert entry["schedule"] == crontab(minute=10, hour=0)
    assert celery_app.conf.timezone == "Asia/Shanghai"
    with time_machine.travel(at(D(2026, 3, 5)), tick=False):
        assert bill_due_months.apply().get() == 1
    assert Bill.objects.filter(organization=org).count() == 1


def test_bill_month_command_bills_a_month_on_demand_and_is_idempotent(org, february_order):
    out = StringIO()
    with time_machine.travel(at(D(2026, 3, 2)), tick=False):
        call_command("bill_month", "2026-02", stdout=out)
        call_command("bill_month", "2026-02", stdout=out)
    assert "Billed 1 organization(s) for 2026-02." in out.getvalue()
    assert "Billed 0 organization(s) for 2026-02." in out.getvalue()
    assert Bill.objects.get(organization=org).total == Decimal("602.57")


@pytest.mark.parametrize("month", ["2026-2", "2026-13", "february", "2026-03"])
def test_bill_month_command_refuses_a_bad_or_unfinished_month(february_order, month):
    with time_machine.travel(at(D(2026, 3, 20)), tick=False), pytest.raises(CommandError):
        call_command("bill_month", month, stdout=StringIO())
    assert not Bill.objects.exists()


def test_topup_command_credits_the_ledger(org):
    out = StringIO()
    call_command("topup", "acme", "20000", "--reference", "BANK-42", stdout=out)
    entry = LedgerEntry.objects.get(organization=org)
    assert (entry.kind, entry.amount, entry.note) == (LedgerEntry.Kind.TOPUP, Decimal("20000.00"), "BANK-42")
    assert "balance 20000.00" in out.getvalue()


@pytest.mark.parametrize(("org_name", "amount"), [("acme", "-5"), ("acme", "0"), ("acme", "1.001"),
                                                  ("acme", "lots"), ("acme", "NaN"), ("nobody", "10")])
def test_topup_command_refuses_a_bad_amount_or_org(org, org_name, amount):
    with pytest.raises(CommandError):
        call_command("topup", org_name, amount, "--reference", "X", stdout=StringIO())
    assert not LedgerEntry.objects.exists()


def test_a_later_run_for_the_same_month_bills_only_orgs_without_a_bill(org, app, other_org):
    order_bought(D(2026, 2, 10), app=app)
    assert bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 5))) == 1
    order_bought(D(2026, 2, 12), app=AppFactory(organization=other_org))  # recorded after the first run
    assert bills_generate(month=D(2026, 2, 1), now=at(D(2026, 3, 6))) == 1
    ours = Bill.objects.get(organization=org)
    assert ours.lines.count() == 1 and ours.total == Decimal("602.57")
    assert LedgerEntry.objects.filter(organization=org).count() == 1
    assert Bill.objects.get(organization=other_org).total == Decimal("539.14")  # 888 × 17 / 28


def test_each_bill_records_how_many_lines_it_has_and_the_list_shows_it(org, owner_client):
    """Bill.line_count is written with the lines (one statement on PostgreSQL, four on SQLite); the list reads it."""
    from django.urls import reverse

    other = AppFactory()
    for app in (AppFactory(organization=org), AppFactory(organization=org), AppFactory(organization=org)):
        order_bought(D(2026, 1, 20), app=app)
    order_bought(D(2026, 1, 20), app=other)
    with time_machine.travel(at(D(2026, 3, 5)), tick=False):
        bills_due()
    for bill in Bill.objects.all():
        assert bill.line_count == bill.lines.count()
    assert Bill.objects.get(organization=org, month=D(2026, 2, 1)).line_count == 3
    assert Bill.objects.get(organization=other.organization, month=D(2026, 2, 1)).line_count == 1
    page = owner_client.get(reverse("billing:bill_list", kwargs={"org_name": org.name})).content.decode()
    assert ">3</td>" in page.replace(" ", "")
