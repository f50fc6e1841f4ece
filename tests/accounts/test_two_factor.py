"""Two-factor sign-in: enrolment with a QR code and a confirm code, recovery codes (hashed, one use), the code
step after the password, remember-this-device, switching off, and the organization rule."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from apps.accounts import twofactor
from apps.accounts.models import Organization, RecoveryCode, SignInEvent, TOTPDevice, User
from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory
from tests.conftest import confirm_identity

EN = {"accept-language": "en"}
pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"


def code_of(device: TOTPDevice, *, steps: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps`` periods later)."""
    device.refresh_from_db()
    with time_machine.travel(timezone.now() + timedelta(seconds=30 * steps), tick=False):
        return f"{totp(device.bin_key, step=30, digits=6):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.enrolment_start(user=user)
    codes = twofactor.enrolment_confirm(user=user, code=code_of(device))
    device.refresh_from_db()
    return device, codes


def sign_in(client, user, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": user.email, "password": password}, headers=EN, **extra)


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def user(db):
    return UserFactory(email="pat@example.com")


# --- enrolment ----------------------------------------------------------------------------------


def test_setting_up_needs_a_recent_check(user):
    client = Client(headers=EN)
    client.force_login(user)
    response = client.get(reverse("accounts:two_factor_enrol"))
    assert response["Location"] == "/accounts/confirm/?next=%2Faccounts%2Fsecurity%2Ftwo-factor%2F"
    assert not TOTPDevice.objects.exists()


def test_signing_in_with_the_password_counts_as_a_recent_check(user):
    client = Client(headers=EN)
    sign_in(client, user)
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 200


def test_the_enrol_page_shows_a_local_qr_code_and_the_key(user):
    client = Client(headers=EN)
    client.force_login(user)
    confirm_identity(client)
    response = client.get(reverse("accounts:two_factor_enrol"))
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert 'src="data:image/svg+xml' in page  # rendered here, no external QR service
    assert device.base32_key in page
    assert response.context["otpauth_uri"].startswith("otpauth://totp/IM%20Console%3Apat%40example.com?secret=")
    # A reload keeps the key the user may have scanned already.
    client.get(reverse("accounts:two_factor_enrol"))
    assert TOTPDevice.objects.get(user=user).key == device.key


def test_a_wrong_confirm_code_keeps_two_factor_off(user):
    client = Client(headers=EN)
    client.force_login(user)
    confirm_identity(client)
    client.get(reverse("accounts:two_factor_enrol"))
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": "000000"})
    assert "The code is not correct" in response.content.decode()
    assert not twofactor.has_two_factor(user)


def test_confirming_switches_it_on_and_shows_ten_recovery_codes_once(user):
    client = Client(headers=EN)
    client.force_login(user)
    confirm_identity(client)
    client.get(reverse("accounts:two_factor_enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": code_of(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    assert "no-store" in response["Cache-Control"]
    assert TOTPDevice.objects.get(user=user).confirmed
    stored = list(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not any(code.replace("-", "") in hashed or code in hashed for code in codes for hashed in stored)
    assert codes[0] not in client.get(reverse("accounts:security")).content.decode()


def test_the_totp_key_is_encrypted_in_the_database(user):
    device, _codes = enrol(user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_totpdevice WHERE id = %s", [device.pk])
        raw = cursor.fetchone()[0]
    assert device.key not in raw and raw.startswith("gAAAAA")


# --- signing in ---------------------------------------------------------------------------------


def test_without_two_factor_the_password_signs_in_as_before(user):
    client = Client()
    assert sign_in(client, user)["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)


def test_with_two_factor_the_password_alone_does_not_sign_in(user):
    device, _codes = enrol(user)
    client = Client()
    response = sign_in(client, user)
    assert response["Location"] == reverse("accounts:login_code")
    assert signed_in_user_id(client) is None
    assert client.get(reverse("accounts:security"))["Location"].startswith(LOGIN)
    wrong = client.post(CODE, {"code": "123456"}, headers=EN)
    assert "The code is not correct." in wrong.content.decode()
    assert signed_in_user_id(client) is None
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # django-otp's throttle: 1 s after a failure
        assert client.post(CODE, {"code": code_of(device, steps=1)})["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)


def test_the_code_step_returns_to_next(user):
    device, _codes = enrol(user)
    client = Client()
    client.post(f"{LOGIN}?next=/accounts/security/",
                {"username": user.email, "password": PASSWORD, "next": "/accounts/security/"})
    assert client.post(CODE, {"code": code_of(device, steps=1)})["Location"] == "/accounts/security/"


def test_wrong_codes_and_the_sign_in_are_in_the_history(user):
    device, _codes = enrol(user)
    client = Client()
    sign_in(client, user)
    client.post(CODE, {"code": "000000"})
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        client.post(CODE, {"code": code_of(device, steps=1)})
    assert list(SignInEvent.objects.filter(user=user).order_by("pk").values_list("outcome", flat=True)) == [
        "wrong_code", "signed_in"]


def test_a_code_works_only_once(user):
    device, _codes = enrol(user)
    code = code_of(device, steps=1)
    first, second = Client(), Client()
    sign_in(first, user)
    sign_in(second, user)
    assert first.post(CODE, {"code": code}).status_code == 302
    assert second.post(CODE, {"code": code}).status_code == 200
    assert signed_in_user_id(second) is None


def test_a_recovery_code_signs_in_once(user):
    _device, codes = enrol(user)
    client = Client()
    sign_in(client, user)
    assert client.post(CODE, {"code": codes[3].upper()}).status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
    again = Client()
    sign_in(again, user)
    assert again.post(CODE, {"code": codes[3]}).status_code == 200
    assert signed_in_user_id(again) is None
    assert twofactor.recovery_codes_left(user=user) == 9


def test_the_code_step_without_a_password_first_says_to_start_again(user):
    device, _codes = enrol(user)
    client = Client(headers=EN)
    assert "Enter your email and password first" in client.get(CODE).content.decode()
    assert "Enter your email and password first" in client.post(CODE, {"code": code_of(device)}).content.decode()
    assert signed_in_user_id(client) is None


def test_the_pending_sign_in_expires_after_five_minutes(user):
    device, _codes = enrol(user)
    client = Client(headers=EN)
    sign_in(client, user)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.post(CODE, {"code": code_of(device)})
    assert "Enter your email and password first" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_five_wrong_codes_end_the_attempt(user):
    device, _codes = enrol(user)
    client = Client()
    sign_in(client, user)
    for _attempt in range(5):
        with time_machine.travel(timezone.now() + timedelta(seconds=70), tick=False):  # past django-otp's throttle
            client.post(CODE, {"code": "000000"})
    response = client.post(CODE, {"code": code_of(device, steps=1)})
    assert response["Location"] == LOGIN
    assert signed_in_user_id(client) is None
    # Signing in again with the password: the code is refused while the limit lasts.
    sign_in(client, user)
    assert client.post(CODE, {"code": code_of(device, steps=1)})["Location"] == LOGIN


def test_remember_this_device_skips_the_code_for_30_days(user):
    device, _codes = enrol(user)
    client = Client()
    sign_in(client, user)
    response = client.post(CODE, {"code": code_of(device, steps=1), "remember": "on"})
    cookie = response.cookies[twofactor.REMEMBER_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 30 * 24 * 3600
    client.post(reverse("accounts:logout"))
    assert sign_in(client, user)["Location"] == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)
    client.post(reverse("accounts:logout"))
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert sign_in(client, user)["Location"] == reverse("accounts:login_code")


def test_a_remembered_cookie_does_not_work_for_another_user(user):
    device, _codes = enrol(user)
    other = UserFactory(email="sam@example.com")
    enrol(other)
    client = Client()
    sign_in(client, user)
    client.post(CODE, {"code": code_of(device, steps=1), "remember": "on"})
    client.post(reverse("accounts:logout"))
    assert sign_in(client, other)["Location"] == reverse("accounts:login_code")


def test_switching_off_needs_a_recent_check_and_forgets_remembered_devices(user):
    device, _codes = enrol(user)
    client = Client(headers=EN)
    sign_in(client, user)
    client.post(CODE, {"code": code_of(device, steps=1), "remember": "on"})
    remembered = client.cookies[twofactor.REMEMBER_COOKIE].value
    # The code step counts as a fresh check; 11 minutes later it does not.
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = client.post(reverse("accounts:two_factor_disable"))
        assert response["Location"].startswith("/accounts/confirm/")
        assert twofactor.has_two_factor(user)
        client.post("/accounts/confirm/", {"code": code_of(device)})
        client.post(reverse("accounts:two_factor_disable"))
    user = User.objects.get(pk=user.pk)
    assert not TOTPDevice.objects.filter(user=user).exists() and not RecoveryCode.objects.filter(user=user).exists()
    assert not twofactor.is_remembered(user=user, cookie_value=remembered)
    # Switched on again: the old cookie does not skip the new code.
    enrol(user)
    user.refresh_from_db()
    assert not twofactor.is_remembered(user=user, cookie_value=remembered)


def test_the_confirm_page_takes_a_code_when_enrolled(user):
    device, codes = enrol(user)
    client = Client(headers=EN)
    client.force_login(user)
    assert "code" in client.get("/accounts/confirm/").context["form"].fields
    assert client.post("/accounts/confirm/", {"code": "000000"}).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=70), tick=False):
        assert client.post("/accounts/confirm/", {"code": codes[0]})["Location"] == reverse("home")


def test_new_recovery_codes_replace_the_old_ones(user):
    _device, codes = enrol(user)
    client = confirm_identity(Client(headers=EN))
    client.force_login(user)
    confirm_identity(client)
    response = client.post(reverse("accounts:recovery_codes_regenerate"))
    new_codes = response.context["codes"]
    assert set(new_codes).isdisjoint(codes)
    assert not twofactor.verify_code(user=user, code=codes[0])
    assert twofactor.verify_code(user=user, code=new_codes[0])


# --- the organization rule ----------------------------------------------------------------------


def test_an_owner_requires_two_factor_and_members_without_it_are_sent_to_enrol(org, owner):
    enrol(owner)
    owner_client = confirm_identity(_client_of(owner))
    response = owner_client.post(reverse("members:two_factor_policy", kwargs={"org_name": org.name}),
                                 {"required": "on"})
    assert response.status_code == 302
    assert Organization.objects.get(pk=org.pk).require_two_factor
    assert AuditEntry.objects.filter(organization=org, action="organization.two_factor_required").exists()
    developer = MembershipFactory(organization=org, role=Role.DEVELOPER).user
    dev_client = _client_of(developer)
    apps_url = reverse("applications:app_list", kwargs={"org_name": org.name})
    sent = dev_client.get(apps_url)
    assert sent["Location"] == f"{reverse('accounts:two_factor_enrol')}?next=%2Fo%2Facme%2Fapps%2F"
    enrol(developer)
    assert dev_client.get(apps_url).status_code == 200
    # The owner (enrolled) was never stopped; another org of the developer is not affected by this rule.
    assert owner_client.get(apps_url).status_code == 200


def test_the_rule_blocks_switching_off_and_needs_the_owner_enrolled(org, owner):
    owner_client = confirm_identity(_client_of(owner))
    url = reverse("members:two_factor_policy", kwargs={"org_name": org.name})
    page = owner_client.post(url, {"required": "on"}, follow=True).content.decode()
    assert "Switch on two-factor sign-in for your own account first." in page
    assert not Organization.objects.get(pk=org.pk).require_two_factor
    enrol(owner)
    owner_client.post(url, {"required": "on"})
    page = owner_client.post(reverse("accounts:two_factor_disable"), follow=True).content.decode()
    assert "requires two-factor sign-in: it cannot be switched off" in page
    assert twofactor.has_two_factor(owner)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DEVELOPER, Role.FINANCE])
def test_only_an_owner_sets_the_rule(org, role, member_client):
    client = confirm_identity(member_client(role))
    response = client.post(reverse("members:two_factor_policy", kwargs={"org_name": org.name}), {"required": "on"})
    assert response.status_code == 403
    assert not Organization.objects.get(pk=org.pk).require_two_factor


def test_the_members_page_shows_who_has_two_factor(org, owner):
    enrol(owner)
    MembershipFactory(organization=org, role=Role.DEVELOPER)
    page = _client_of(owner).get(reverse("members:member_list", kwargs={"org_name": org.name})).content.decode()
    assert page.count("Two-factor on") == 1 and "No two-factor" in page
    assert "1 member has not switched it on." in page


def _client_of(user) -> Client:
    client = Client(headers=EN)
    client.force_login(user)
    return client
