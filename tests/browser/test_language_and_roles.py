"""Browser journeys that run anywhere (SQLite live server): switching language shows the same page in the
other language; a developer cannot reach checkout."""

import pytest
from playwright.sync_api import expect

from apps.accounts.roles import Role
from tests.accounts.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from tests.applications.factories import AppFactory
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def acme():
    org = OrganizationFactory(name="acme")
    AppFactory(organization=org, name="chat", product_name="Chat")
    return org


def member(org, role: str, email: str):
    return MembershipFactory(organization=org, role=role, user=UserFactory(email=email)).user


def test_switching_language_shows_the_same_page_in_the_other_language(journey, acme):
    member(acme, Role.OWNER, "owner@acme.test")
    trip = journey("language-switch")
    page = trip.page
    log_in(trip, "owner@acme.test", PASSWORD)
    expect(page.get_by_role("heading", name="Apps", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    trip.shot("app-list-en")
    page.get_by_role("link", name="chat").first.click()
    expect(page.get_by_role("heading", name="chat")).to_be_visible()
    english_path = page.url
    trip.shot("app-overview-en")

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert page.url == english_path
    expect(page.get_by_role("button", name="退出登录", include_hidden=True)).to_be_attached()
    expect(page.locator(".console-sidebar")).to_contain_text("应用列表")
    trip.shot("app-overview-zh")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == english_path
    expect(page.locator(".console-sidebar")).to_contain_text("Feature overview")
    trip.shot("app-overview-en-again")


def test_developer_cannot_reach_checkout(journey, acme, live_server):
    member(acme, Role.DEVELOPER, "dev@acme.test")
    trip = journey("developer-no-checkout")
    page = trip.page
    log_in(trip, "dev@acme.test", PASSWORD)
    page.get_by_role("link", name="chat").first.click()
    expect(page.get_by_role("heading", name="chat")).to_be_visible()
    expect(page.get_by_role("link", name="Upgrade")).to_have_count(0)
    trip.shot("app-overview")

    page.get_by_role("link", name="Feature overview").click()
    expect(page.get_by_role("heading", name="Feature overview")).to_be_visible()
    expect(page.get_by_role("link", name="Upgrade")).to_have_count(0)
    expect(page.get_by_text("An owner or admin can upgrade the plan.").first).to_be_visible()
    trip.shot("feature-overview")

    response = trip.goto("/o/acme/apps/chat/upgrade/")
    assert response.status == 403
    expect(page.get_by_role("button", name="Buy now")).to_have_count(0)
    trip.shot("checkout-forbidden")


def test_on_a_phone_the_top_bar_and_the_navigation_open_from_menu_buttons(journey, acme, page):
    member(acme, Role.OWNER, "owner@acme.test")
    trip = journey("phone-menus")
    log_in(trip, "owner@acme.test", PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="chat").first.click()
    expect(page.get_by_role("heading", name="chat")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_be_hidden()
    expect(page.get_by_role("link", name="Feature overview")).to_be_hidden()

    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="English")).to_be_visible()
    expect(page.locator("#org-switcher")).to_contain_text("acme")

    page.get_by_role("button", name="Console navigation").click()
    page.get_by_role("link", name="Feature overview").click()
    expect(page.get_by_role("heading", name="Feature overview")).to_be_visible()
    # The heading can show before the page has loaded: measured then, the page was 463 px wide once on a loaded
    # machine (stylesheets or fonts not applied yet). The width that counts is the loaded page's.
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
