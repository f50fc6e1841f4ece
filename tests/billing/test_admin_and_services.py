"""Staff confirm or reject top-ups and record adjustments in the admin; each credit lands exactly once."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from apps.audit.models import AuditEntry
from billing.exceptions import TopUpAlreadyDecided
from billing.models import LedgerEntry, TopUpRequest
from billing.selectors import org_balance, org_in_arrears
from billing.services import topup_confirm
from tests.accounts.factories import UserFactory
from tests.billing.factories import LedgerEntryFactory, TopUpRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff):
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff)
    return client


def run_action(client, action: str, *requests):
    return client.post(
        reverse("admin:billing_topuprequest_changelist"),
        {"action": action, "_selected_action": [r.pk for r in requests]},
        follow=True,
    )


def test_confirming_a_top_up_credits_the_ledger_once(staff_client, staff, org):
    request = TopUpRequestFactory(organization=org, amount=Decimal("3000.00"), reference="ICBC-1")
    response = run_action(staff_client, "confirm_requests", request)
    assert "1 top-up confirmed and credited." in response.content.decode()
    run_action(staff_client, "confirm_requests", request)
    entry = LedgerEntry.objects.get(organization=org)
    assert (entry.kind, entry.amount, entry.topup, entry.created_by) == (
        LedgerEntry.Kind.TOPUP, Decimal("3000.00"), request, staff)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (TopUpRequest.Status.CONFIRMED, staff)
    assert org_balance(organization=org) == Decimal("3000.00")
    assert AuditEntry.objects.filter(organization=org, action="billing.topup_confirmed").count() == 1


def test_confirming_again_through_the_service_is_refused(staff, org):
    request = TopUpRequestFactory(organization=org)
    topup_confirm(topup_id=request.pk, staff=staff)
    with pytest.raises(TopUpAlreadyDecided):
        topup_confirm(topup_id=request.pk, staff=staff)
    assert LedgerEntry.objects.count() == 1


def test_a_rejected_top_up_credits_nothing_and_cannot_be_confirmed_later(staff_client, org):
    request = TopUpRequestFactory(organization=org)
    assert "1 top-up rejected." in run_action(staff_client, "reject_requests", request).content.decode()
    response = run_action(staff_client, "confirm_requests", request)
    assert "already been decided" in response.content.decode()
    request.refresh_from_db()
    assert request.status == TopUpRequest.Status.REJECTED
    assert not LedgerEntry.objects.exists()


def test_a_top_up_ends_arrears(staff, org):
    LedgerEntryFactory(organization=org, kind=LedgerEntry.Kind.ADJUSTMENT, amount=Decimal("-50.00"))
    assert org_in_arrears(organization=org)
    topup_confirm(topup_id=TopUpRequestFactory(organization=org, amount=Decimal("50.00")).pk, staff=staff)
    assert not org_in_arrears(organization=org)
    assert org_balance(organization=org) == Decimal("0.00")


def test_staff_record_a_signed_adjustment_with_a_note(staff_client, staff, org):
    response = staff_client.post(
        reverse("admin:billing_ledgerentry_add"),
        {"organization": org.pk, "amount": "-120.50", "note": "Refund reversal #88"},
    )
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(organization=org)
    assert (entry.kind, entry.amount, entry.note, entry.created_by) == (
        LedgerEntry.Kind.ADJUSTMENT, Decimal("-120.50"), "Refund reversal #88", staff)
    assert AuditEntry.objects.filter(organization=org, action="billing.adjusted").exists()


@pytest.mark.parametrize(("amount", "note"), [("0", "why"), ("10", ""), ("1.005", "why")])
def test_a_zero_unexplained_or_fractional_adjustment_is_a_form_error(staff_client, org, amount, note):
    response = staff_client.post(
        reverse("admin:billing_ledgerentry_add"), {"organization": org.pk, "amount": amount, "note": note}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_ledger_entries_and_bills_cannot_be_deleted_or_edited_in_the_admin(staff_client, org):
    entry = LedgerEntryFactory(organization=org)
    change = reverse("admin:billing_ledgerentry_change", args=[entry.pk])
    staff_client.post(change, {"organization": org.pk, "amount": "999.00", "note": "edited"})
    entry.refresh_from_db()
    assert entry.amount == Decimal("100.00")
    assert staff_client.get(reverse("admin:billing_ledgerentry_delete", args=[entry.pk])).status_code == 403


def test_admin_lists_render(staff_client, org):
    TopUpRequestFactory(organization=org)
    LedgerEntryFactory(organization=org)
    for name in ("topuprequest", "ledgerentry", "bill"):
        assert staff_client.get(reverse(f"admin:billing_{name}_changelist")).status_code == 200
