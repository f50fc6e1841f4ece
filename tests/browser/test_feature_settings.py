"""Feature settings in Chromium (SQLite live server): an owner turns on sensitive words and the REST IP
whitelist from the feature overview, fills both, and the htmx test box and IP check answer in place."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_owner_of_a_pro_app

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_sets_up_sensitive_words_and_the_ip_whitelist(journey):
    trip = signed_in_owner_of_a_pro_app(journey, "feature-settings")
    page = trip.page

    trip.goto("/o/acme/apps/chat/features/")
    row = page.locator("tr", has_text="Sensitive words")
    row.get_by_role("button", name="Enable for free").click()
    expect(page.get_by_text("Sensitive words is on.")).to_be_visible()
    page.locator("tr", has_text="Sensitive words").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Sensitive words", exact=True)).to_be_visible()

    page.get_by_label("Type or paste words").fill("赌博\nfree money\n")
    page.get_by_role("button", name="Add words").click()
    expect(page.locator("table")).to_contain_text("free money")
    page.get_by_label("Message", exact=True).fill("Win FREE MONEY at the 赌博 table")
    url_before = page.url
    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.locator("#sw-test-result")).to_contain_text("Blocked")
    expect(page.locator("#sw-test-result")).to_contain_text("赌博")
    assert page.url == url_before  # answered in place by htmx
    trip.shot("sensitive-words")

    trip.goto("/o/acme/apps/chat/features/ip_whitelist/")
    page.get_by_label("IP addresses or CIDR ranges").fill("10.8.0.0/16, 2001:db8::/32")
    page.get_by_role("button", name="Add to whitelist").click()
    expect(page.get_by_text("2 entries added to the whitelist.")).to_be_visible()
    page.get_by_label("IP address", exact=True).fill("10.8.44.7")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#ip-check")).to_contain_text("Allowed")
    expect(page.locator("#ip-check")).to_contain_text("10.8.0.0/16")
    page.get_by_label("IP address", exact=True).fill("192.0.2.1")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#ip-check")).to_contain_text("Denied")
    trip.shot("ip-whitelist")


def test_owner_adds_a_callback_rule_and_opens_the_push_pages(journey):
    """Every page visited must load without a Content-Security-Policy violation or a script error (the
    journey checks); the secret is shown once, then masked."""
    trip = signed_in_owner_of_a_pro_app(journey, "callbacks-and-push")
    page = trip.page

    trip.goto("/o/acme/apps/chat/features/callbacks/")
    page.get_by_role("link", name="Add rule").first.click()
    page.get_by_label("Rule name").fill("archive")
    page.get_by_label("Callback URL").fill("https://93.184.216.34/easemob/callback")
    page.get_by_label("Group", exact=True).check()
    page.get_by_label("Text", exact=True).check()
    page.get_by_role("button", name="Create rule").click()
    secret = page.locator(".mono", has_text=re.compile(r"^[A-Za-z0-9_-]{40,}$")).first
    expect(secret).to_be_visible()
    shown = secret.inner_text().strip()
    trip.shot("callback-secret-once")
    trip.goto("/o/acme/apps/chat/features/callbacks/")
    expect(page.get_by_role("link", name="archive", exact=True)).to_be_visible()
    assert shown not in page.content()
    assert shown[-4:] in page.content()
    trip.shot("callbacks")

    trip.goto("/o/acme/apps/chat/features/push/")
    expect(page.get_by_role("heading", name="Push certificates")).to_be_visible()
    page.get_by_role("link", name="Add APNs certificate").click()
    expect(page.get_by_role("heading", name="Add APNs certificate")).to_be_visible()
    trip.shot("push-apns-form")
