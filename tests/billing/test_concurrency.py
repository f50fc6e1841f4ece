"""Concurrency on PostgreSQL: parallel billing runs bill once; the ledger sum stays the balance."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from billing.exceptions import TopUpAlreadyDecided
from billing.models import Bill, LedgerEntry
from billing.selectors import org_balance
from billing.services import bills_generate, ledger_adjust, topup_confirm
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.applications.factories import AppFactory
from tests.billing.factories import TopUpRequestFactory, at, order_bought
from tests.concurrency import run_together

D = dt.date
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_billing_runs_bill_each_org_and_month_once():
    orgs = [OrganizationFactory() for _ in range(5)]
    for org in orgs:
        order_bought(D(2026, 2, 10), app=AppFactory(organization=org))
    for month in (D(2026, 2, 1), D(2026, 3, 1)):
        results = run_together(*[lambda month=month: bills_generate(month=month, now=at(D(2026, 4, 5)))] * 4)
        assert sorted(results) == [0, 0, 0, 5]
    assert Bill.objects.count() == 10
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.BILL).count() == 10
    for org in orgs:
        assert org_balance(organization=org) == Decimal("-1490.57")  # 602.57 + 888.00


def test_two_staff_confirming_one_request_at_once_credit_it_once():
    staff = UserFactory(is_staff=True)
    request = TopUpRequestFactory(amount=Decimal("500.00"))
    results = run_together(*[lambda: topup_confirm(topup_id=request.pk, staff=staff)] * 2)
    assert sum(isinstance(result, TopUpAlreadyDecided) for result in results) == 1
    assert LedgerEntry.objects.filter(organization=request.organization).count() == 1
    assert org_balance(organization=request.organization) == Decimal("500.00")


def test_ledger_sum_is_the_balance_after_100_concurrent_top_ups_and_deductions():
    org = OrganizationFactory()
    staff = UserFactory(is_staff=True)
    requests = [TopUpRequestFactory(organization=org, amount=Decimal(f"{100 + i}.25")) for i in range(50)]
    adjustments = [Decimal(f"-{30 + i}.10") if i % 2 else Decimal(f"{i}.05") for i in range(50)]

    def confirm(request):
        try:
            return topup_confirm(topup_id=request.pk, staff=staff)
        finally:
            connection.close()

    def adjust(amount):
        try:
            return ledger_adjust(organization=org, amount=amount, note="concurrency", staff=staff)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(confirm, r) for r in requests] + [pool.submit(adjust, a) for a in adjustments]
        for future in futures:
            future.result()
    expected = sum((r.amount for r in requests), Decimal("0")) + sum(adjustments, Decimal("0"))
    assert LedgerEntry.objects.filter(organization=org).count() == 100
    assert org_balance(organization=org) == expected
