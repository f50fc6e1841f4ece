"""Django admin for platform staff: users, organizations with members, invitations."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.roles import Role
from tests.accounts.factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(db):
    client = Client(headers={"accept-language": "en"})
    client.force_login(User.objects.create_superuser(email="staff@example.com", password="x"))
    return client


@pytest.mark.parametrize("model", ["user", "organization", "invitation"])
def test_staff_open_every_accounts_admin_list(staff_client, model, org):
    MembershipFactory(organization=org, role=Role.OWNER)
    InvitationFactory(organization=org)
    assert staff_client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200


def test_staff_search_organizations_by_name(staff_client, org, other_org):
    page = staff_client.get(reverse("admin:accounts_organization_changelist"), {"q": "glob"}).content.decode()
    assert "globex" in page and ">acme<" not in page


def test_the_organization_page_shows_its_members_inline_and_the_name_read_only(staff_client, org, owner):
    page = staff_client.get(reverse("admin:accounts_organization_change", args=[org.pk])).content.decode()
    assert "owner@acme.test" in page and "memberships-TOTAL_FORMS" in page
    assert 'name="name"' not in page


def test_staff_create_a_user_by_email(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "made@example.com", "usable_password": "true",
         "password1": "sturdy-parsnip-orbit-22", "password2": "sturdy-parsnip-orbit-22"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(email="made@example.com").check_password("sturdy-parsnip-orbit-22")


def test_staff_open_a_user_with_their_memberships(staff_client, org):
    user = MembershipFactory(organization=org, role=Role.FINANCE, user=UserFactory()).user
    response = staff_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert "memberships-TOTAL_FORMS" in response.content.decode()


def test_members_of_an_org_cannot_open_the_admin(owner_client):
    assert owner_client.get(reverse("admin:index")).status_code == 302


def test_the_admin_login_form_is_the_consoles_login(db):
    """So staff with two-factor sign-in cannot get in with a password alone through the admin's own form."""
    from django.test import Client

    response = Client().get(reverse("admin:login"), {"next": "/admin/accounts/user/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/accounts/user/"
    assert Client().get(reverse("admin:index"))["Location"].startswith("/admin/login/")


def test_a_signed_in_non_staff_user_at_the_admin_login_gets_403(owner_client):
    assert owner_client.get(reverse("admin:login")).status_code == 403
