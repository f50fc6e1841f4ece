"""Browser journey: an owner sets up two-factor sign-in from the QR page (the code is computed here from the key
the page shows, as an authenticator app would), keeps the recovery codes, logs out and signs in with password
and code; the code step counts as a fresh check, so the Client Secret is then revealed without another prompt."""

from base64 import b32decode
from urllib.parse import parse_qs, urlparse

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from apps.accounts.models import TOTPDevice
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import log_in, signed_in_owner_of_a_pro_app

pytestmark = pytest.mark.django_db(transaction=True)


def authenticator_code(secret_base32: str, *, steps_ahead: int = 0) -> str:
    padded = secret_base32 + "=" * (-len(secret_base32) % 8)
    totp = TOTP(b32decode(padded), step=30, digits=6)
    totp.drift = steps_ahead
    return f"{totp.token():06d}"


def test_enrol_two_factor_and_sign_in_with_a_code(journey):
    trip = signed_in_owner_of_a_pro_app(journey, "two-factor")
    page = trip.page
    expect(page.get_by_role("heading", name="Apps", exact=True)).to_be_visible()

    page.locator("#user-menu").click()
    page.get_by_role("link", name="Security and sessions").click()
    expect(page.get_by_role("heading", name="Security and sessions")).to_be_visible()
    expect(page.locator("tr.user-session")).to_have_count(1)
    trip.shot("security-before")
    page.get_by_role("link", name="Set up two-factor sign-in").click()

    qr = page.get_by_role("img", name="QR code of your two-factor key")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml")  # drawn here, no outside service
    secret = page.locator("#two-factor-secret").inner_text().strip()
    uri = page.evaluate("() => document.querySelector('img.two-factor-qr').src")
    assert uri.startswith("data:")
    trip.shot("enrol-qr")
    page.get_by_label("Code shown by the app").fill(authenticator_code(secret))
    page.get_by_role("button", name="Confirm and switch on").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    trip.shot("recovery-codes")
    page.get_by_role("link", name="I saved them, continue").click()
    expect(page.locator("#two-factor")).to_contain_text("10 recovery codes left.")
    device = TOTPDevice.objects.get(user__email="owner@acme.test")
    assert device.confirmed and device.base32_key == secret
    # The provisioning URI an app would read from the QR code names the same key.
    assert parse_qs(urlparse(device.config_url(issuer="IM Console")).query)["secret"] == [secret]

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to the console")).to_be_visible()

    log_in(trip, "owner@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    trip.shot("code-step")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Verify and log in").click()
    expect(page.get_by_text("The code is not correct.")).to_be_visible()
    page.wait_for_timeout(1100)  # django-otp's throttle after a failure
    # The enrolment used the current period's code; an app shows the next one 30 s later.
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verify and log in").click()
    expect(page.get_by_role("heading", name="Apps", exact=True)).to_be_visible()
    trip.shot("signed-in")

    # Signing in with the code counts as a fresh check: the Client Secret is revealed without another prompt.
    trip.goto("/o/acme/apps/chat/")
    page.get_by_role("button", name="Reveal").click()
    expect(page.locator(".revealed-secret")).to_be_visible()

    trip.goto("/accounts/security/")
    expect(page.locator("tr.sign-in-event")).to_have_count(3)  # password sign-in, refused code, code sign-in
    expect(page.locator("#sign-in-history")).to_contain_text("Two-factor code refused")
    trip.shot("security-after")
