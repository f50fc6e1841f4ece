import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.access import SESSION_ORG_KEY
from apps.accounts.roles import Role
from tests.accounts.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_org_client(org, other_org):
    user = UserFactory(email="both@example.com")
    MembershipFactory(user=user, organization=org, role=Role.OWNER)
    MembershipFactory(user=user, organization=other_org, role=Role.FINANCE)
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def app_list_url(org):
    return reverse("applications:app_list", kwargs={"org_name": org.name})


def test_a_user_in_two_orgs_sees_both_in_the_switcher(two_org_client, org, other_org):
    response = two_org_client.get(app_list_url(org))
    names = [m.organization.name for m in response.context["user_memberships"]]
    assert names == ["acme", "globex"]
    page = response.content.decode()
    assert f'href="{app_list_url(other_org)}"' in page and "Finance" in page


def test_visiting_the_other_orgs_app_list_switches_the_current_org(two_org_client, org, other_org):
    assert two_org_client.get(app_list_url(org)).context["current_org"] == org
    response = two_org_client.get(app_list_url(other_org))
    assert response.context["current_org"] == other_org
    assert two_org_client.session[SESSION_ORG_KEY] == "globex"
    # Home now opens the org last worked in.
    assert two_org_client.get("/")["Location"] == app_list_url(other_org)


def test_the_role_follows_the_org(two_org_client, org, other_org):
    members = reverse("members:member_list", kwargs={"org_name": org.name})
    assert two_org_client.get(members).status_code == 200
    other_members = reverse("members:member_list", kwargs={"org_name": other_org.name})
    assert two_org_client.get(other_members).status_code == 403


def test_the_switcher_lists_only_the_users_own_orgs(owner_client, org, other_org):
    response = owner_client.get(app_list_url(org))
    assert [m.organization.name for m in response.context["user_memberships"]] == ["acme"]
    assert app_list_url(other_org) not in response.content.decode()


@pytest.mark.parametrize("path", ["/plans/", "/accounts/password/change/"])
def test_pages_outside_an_org_name_the_members_org_in_the_switcher(org, path):
    user = UserFactory(email="solo@example.com")
    MembershipFactory(user=user, organization=org, role=Role.DEVELOPER)
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    page = client.get(path).content.decode()
    assert "Organization: <strong>acme</strong>" in page and "choose" not in page


def test_pages_outside_an_org_name_the_org_last_worked_in(two_org_client, other_org):
    two_org_client.get(app_list_url(other_org))
    assert "Organization: <strong>globex</strong>" in two_org_client.get("/plans/").content.decode()


def test_staff_without_an_org_land_in_the_admin_and_see_its_link():
    staff = UserFactory(email="ops@example.com", is_staff=True)
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff)
    assert client.get("/")["Location"] == reverse("admin:index")
    page = client.get("/plans/").content.decode()
    assert 'id="admin-link"' in page and f'href="{reverse("admin:index")}"' in page


def test_members_who_are_not_staff_see_no_admin_link(org):
    user = UserFactory(email="dev@example.com")
    MembershipFactory(user=user, organization=org, role=Role.OWNER)
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    assert 'id="admin-link"' not in client.get("/plans/").content.decode()
