"""A sign-up or an invitation sign-up submitted twice at the same moment (a double click): one account, and
the other request gets a form error, never a 500 (PostgreSQL)."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts import services
from apps.accounts.models import Membership, Organization, User
from tests.accounts.factories import InvitationFactory, OrganizationFactory
from tests.concurrency import run_together

PASSWORD = "violet-canyon-ember-41"
EN = {"accept-language": "en"}


def _outcome(response) -> str:
    if isinstance(response, Exception):
        return f"{type(response).__name__}: {response}"
    if response.status_code == 302:
        return "joined"
    text = response.content.decode()
    assert response.status_code in (200, 410), response.status_code
    # Which check sees the twin first depends on timing: the form's email check, its OrgName check (the twin
    # committed between the two), or the service's unique indexes. Each is a form error that names the clash.
    clashes = ("exists already", "used already", "OrgName is taken")
    assert any(clash in text for clash in clashes), text[text.find("<main"):][:3000]
    return "refused"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", range(4))
def test_a_double_submitted_signup_makes_one_account_and_a_form_error(rounds):
    data = {"email": f"twin{rounds}@example.com", "org_name": f"twins{rounds}", "password1": PASSWORD,
            "password2": PASSWORD}
    url = reverse("accounts:signup")
    outcomes = run_together(*(lambda: Client(headers=EN).post(url, data) for _ in range(2)), timeout=30)
    assert sorted(map(_outcome, outcomes)) == ["joined", "refused"]
    assert User.objects.filter(email=data["email"]).count() == 1
    assert Organization.objects.filter(name=data["org_name"]).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rounds", range(4))
def test_a_double_submitted_invitation_signup_makes_one_account_and_a_form_error(rounds):
    org = OrganizationFactory(name=f"host{rounds}")
    invitation = InvitationFactory(organization=org, email=f"guest{rounds}@example.com")
    proof = services.invitation_email_proof(invitation=invitation)
    url = f"{reverse('accounts:invitation_accept', kwargs={'token': invitation.token})}?proof={proof}"
    data = {"password1": PASSWORD, "password2": PASSWORD}
    outcomes = run_together(*(lambda: Client(headers=EN).post(url, data) for _ in range(2)), timeout=30)
    assert sorted(map(_outcome, outcomes)) == ["joined", "refused"]
    assert Membership.objects.filter(organization=org, user__email=invitation.email).count() == 1
