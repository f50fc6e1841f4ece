"""Operation protection: sensitive operations need a password check within 10 minutes, every password
re-check is limited (5 failures per user per 15 minutes), and a login lockout also locks the re-check."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Invitation, Membership
from apps.accounts.roles import Role
from tests.accounts.factories import PASSWORD, MembershipFactory

EN = {"accept-language": "en"}
NEW_PASSWORD = "amber-tundra-wicket-93"
pytestmark = pytest.mark.django_db
REAUTH = "/accounts/confirm/"


@pytest.fixture
def developer_m(org):
    return MembershipFactory(organization=org, role=Role.DEVELOPER)


def role_url(membership):
    return reverse("members:member_change_role",
                   kwargs={"org_name": membership.organization.name, "membership_id": membership.pk})


def members_url(org):
    return reverse("members:member_list", kwargs={"org_name": org.name})


def confirm(client, password, next_url="/", **extra):
    return client.post(REAUTH, {"password": password, "next": next_url}, **extra)


def test_changing_a_role_needs_a_recent_check_and_returns_to_the_members_page(owner_client, org, developer_m):
    response = owner_client.post(role_url(developer_m), {"role": Role.FINANCE},
                                 headers={"referer": f"http://testserver{members_url(org)}"})
    assert response["Location"] == f"{REAUTH}?next=%2Fo%2Facme%2Fmembers%2F"
    assert Membership.objects.get(pk=developer_m.pk).role == Role.DEVELOPER
    page = owner_client.get(response["Location"]).content.decode()
    assert "Confirm it is you" in page and 'value="/o/acme/members/"' in page
    assert confirm(owner_client, PASSWORD, members_url(org))["Location"] == members_url(org)
    owner_client.post(role_url(developer_m), {"role": Role.FINANCE})
    assert Membership.objects.get(pk=developer_m.pk).role == Role.FINANCE


def test_a_check_lasts_ten_minutes(owner_client, org, developer_m):
    confirm(owner_client, PASSWORD)
    with time_machine.travel(timezone.now() + timedelta(minutes=9)):
        owner_client.post(role_url(developer_m), {"role": Role.FINANCE})
    assert Membership.objects.get(pk=developer_m.pk).role == Role.FINANCE
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = owner_client.post(role_url(developer_m), {"role": Role.ADMIN})
    assert response["Location"].startswith(REAUTH)
    assert Membership.objects.get(pk=developer_m.pk).role == Role.FINANCE


def test_inviting_an_owner_needs_a_recent_check_other_roles_do_not(owner_client, org):
    url = reverse("members:member_invite", kwargs={"org_name": org.name})
    response = owner_client.post(url, {"email": "boss@example.com", "role": Role.OWNER})
    assert response["Location"].startswith(REAUTH)
    assert not Invitation.objects.exists()
    owner_client.post(url, {"email": "dev@example.com", "role": Role.DEVELOPER})
    assert list(Invitation.objects.values_list("email", flat=True)) == ["dev@example.com"]
    confirm(owner_client, PASSWORD)
    owner_client.post(url, {"email": "boss@example.com", "role": Role.OWNER})
    assert Invitation.objects.filter(email="boss@example.com", role=Role.OWNER).exists()


def test_next_pointing_to_another_site_goes_home_instead(owner_client):
    response = confirm(owner_client, PASSWORD, "https://evil.example/steal")
    assert response["Location"] == reverse("home")
    assert confirm(owner_client, PASSWORD, "//evil.example/")["Location"] == reverse("home")


def test_the_confirm_page_needs_a_signed_in_user():
    response = Client().get(REAUTH)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_five_wrong_passwords_lock_the_recheck_for_fifteen_minutes(owner_client, owner, org, developer_m):
    for _attempt in range(5):
        assert "The password is not correct." in confirm(owner_client, "wrong").content.decode()
    refused = confirm(owner_client, PASSWORD)
    assert refused.status_code == 200
    assert "Too many wrong attempts" in refused.content.decode()
    owner_client.post(role_url(developer_m), {"role": Role.FINANCE})
    assert Membership.objects.get(pk=developer_m.pk).role == Role.DEVELOPER
    # Another session of the same user (another address) is refused too: the limit is per user.
    other = Client(headers=EN)
    other.force_login(owner)
    assert "Too many wrong attempts" in confirm(other, PASSWORD, REMOTE_ADDR="10.9.9.9").content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert confirm(owner_client, PASSWORD)["Location"] == reverse("home")


def test_password_change_shares_the_recheck_limit(owner_client, owner):
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _attempt in range(5):
        assert owner_client.post(reverse("accounts:password_change"), data).status_code == 200
    data["old_password"] = PASSWORD
    response = owner_client.post(reverse("accounts:password_change"), data)
    assert "Too many wrong attempts" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert "Too many wrong attempts" in confirm(owner_client, PASSWORD).content.decode()


def test_a_login_lockout_also_locks_the_recheck_from_that_address(owner_client, owner):
    anonymous = Client(headers=EN)
    for _attempt in range(5):
        anonymous.post(reverse("accounts:login"), {"username": owner.email, "password": "wrong"},
                       REMOTE_ADDR="10.0.0.7")
    response = confirm(owner_client, PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    # The session of the locked pair may not guess either: no password is checked while locked.
    assert "locked" in confirm(owner_client, "wrong", REMOTE_ADDR="10.0.0.7").content.decode()


def test_the_recheck_limit_does_not_lift_the_login_lockout(owner, owner_client):
    """Correct re-checks (which reset nothing of axes) leave a locked login locked."""
    anonymous = Client(headers=EN)
    for _attempt in range(5):
        anonymous.post(reverse("accounts:login"), {"username": owner.email, "password": "wrong"},
                       REMOTE_ADDR="10.0.0.8")
    assert confirm(owner_client, PASSWORD, REMOTE_ADDR="10.0.0.1")["Location"] == reverse("home")
    locked = anonymous.post(reverse("accounts:login"), {"username": owner.email, "password": PASSWORD},
                            REMOTE_ADDR="10.0.0.8")
    assert locked.status_code == 429 or "locked" in locked.content.decode().lower()
    assert "_auth_user_id" not in anonymous.session


def test_an_admin_changing_a_role_is_protected_too(member_client, org, developer_m):
    admin = member_client(Role.ADMIN)
    assert admin.post(role_url(developer_m), {"role": Role.FINANCE})["Location"].startswith(REAUTH)
    assert Membership.objects.get(pk=developer_m.pk).role == Role.DEVELOPER
