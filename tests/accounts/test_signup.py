import pytest
from django.urls import reverse

from apps.accounts.models import Membership, Organization, User
from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from tests.accounts.factories import OrganizationFactory, UserFactory

GOOD_PASSWORD = "quiet-harbour-lantern-58"


def _signup(client, **overrides):
    data = {"email": "new@example.com", "org_name": "initech", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    data.update(overrides)
    return client.post(reverse("accounts:signup"), data, headers={"accept-language": "en"})


@pytest.mark.django_db
def test_signup_makes_the_user_owner_of_a_new_org_and_lands_on_its_empty_app_list(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:app_list", kwargs={"org_name": "initech"})
    membership = Membership.objects.get(user__email="new@example.com")
    assert (membership.organization.name, membership.role) == ("initech", Role.OWNER)
    landing = client.get(response["Location"], headers={"accept-language": "en"})
    assert landing.status_code == 200
    assert landing.context["current_org"] == membership.organization
    page = landing.content.decode()
    assert "new@example.com" in page  # signed in: the user menu shows the email
    assert AuditEntry.objects.filter(organization=membership.organization, action="organization.created").exists()


@pytest.mark.django_db
def test_signup_stores_the_email_lower_case_and_the_user_can_log_in_with_any_case(client):
    _signup(client, email="New.Person@Example.COM")
    assert User.objects.filter(email="new.person@example.com").exists()
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"), {"username": "NEW.person@example.com", "password": GOOD_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_signup_refuses_an_org_name_that_differs_only_in_case(client):
    OrganizationFactory(name="acme")
    response = _signup(client, org_name="ACME")
    page = response.content.decode()
    assert response.status_code == 200
    assert "OrgName must be lower-case: use “acme”, not “ACME”." in page
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
def test_signup_refuses_a_taken_org_name(client):
    OrganizationFactory(name="acme")
    response = _signup(client, org_name="acme")
    assert "This OrgName is taken. Choose another one." in response.content.decode()
    assert Organization.objects.filter(name="acme").count() == 1
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.django_db
def test_signup_does_not_silently_lower_case_the_org_name(client):
    response = _signup(client, org_name="Initech")
    assert "OrgName must be lower-case" in response.content.decode()
    assert not Organization.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "org_name",
    ["1acme", "-acme", "acme_corp", "acme corp", "a" * 33, "ac.me", ""],
)
def test_signup_refuses_an_org_name_outside_the_rule(client, org_name):
    response = _signup(client, org_name=org_name)
    assert response.status_code == 200
    assert not Organization.objects.exists()
    assert 'id="error_1_id_org_name"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("org_name", ["a", "acme-2", "a" * 32, "x1-y2"])
def test_signup_accepts_an_org_name_inside_the_rule(client, org_name):
    assert _signup(client, org_name=org_name).status_code == 302
    assert Organization.objects.filter(name=org_name).exists()


@pytest.mark.django_db
def test_signup_refuses_an_email_that_has_an_account(client):
    UserFactory(email="new@example.com")
    response = _signup(client, email="NEW@example.com")
    assert "An account with this email exists already. Log in instead." in response.content.decode()
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_signup_refuses_passwords_that_do_not_match(client):
    response = _signup(client, password2=GOOD_PASSWORD + "x")
    assert "The two passwords do not match." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [("short1", "too short"), ("password123", "too common"), ("83749283749", "entirely numeric")],
)
def test_signup_applies_the_django_password_validators(client, password, message):
    response = _signup(client, password1=password, password2=password)
    assert message in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_refuses_a_password_like_the_email(client):
    response = _signup(client, email="marmalade.sky@example.com", password1="marmalade.sky", password2="marmalade.sky")
    assert "too similar" in response.content.decode()


@pytest.mark.django_db
def test_a_signed_in_user_is_sent_home_from_signup(owner_client):
    assert owner_client.get(reverse("accounts:signup")).status_code == 302


@pytest.mark.django_db
def test_the_login_page_links_to_signup(client):
    page = client.get(reverse("accounts:login"), headers={"accept-language": "en"}).content.decode()
    assert reverse("accounts:signup") in page


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "suggested"), [("My_Org", "my-org"), ("1st team", "st-team"), ("a__b", "a-b")])
def test_an_invalid_org_name_is_answered_with_a_valid_example(client, typed, suggested):
    from apps.accounts.models import ORG_NAME_VALIDATOR

    page = _signup(client, org_name=typed).content.decode()
    assert f"for example “{suggested}”" in page
    ORG_NAME_VALIDATOR(suggested)
    assert not Organization.objects.exists()
