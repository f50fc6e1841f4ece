"""Browser journey over the usage pages with lived-in data (the demo's chat-prod usage): the app's usage page
with its charts and the table opened, the organization's usage page, the app overview and the feature
overview, in both languages at 1366 and 390 px; the shots check the width and axe-core."""

import pytest
from playwright.sync_api import expect

from apps.applications.models import App
from tests.browser.conftest import signed_in_owner_of_a_pro_app

pytestmark = pytest.mark.django_db(transaction=True)


def test_usage_pages_read_in_both_languages_and_fit_a_phone(journey):
    from apps.im.demo import _seed_im_users, _seed_usage

    trip = signed_in_owner_of_a_pro_app(journey, "usage")
    app = App.objects.get(name="chat")
    _seed_im_users(app)
    _seed_usage(app)
    page = trip.page

    trip.goto("/o/acme/apps/chat/")
    expect(page.locator("#usage-today")).to_be_visible()
    trip.shot("app-overview")
    page.get_by_role("link", name="Usage: the last 30 days").click()
    expect(page.get_by_role("heading", name="Usage", exact=True)).to_be_visible()
    expect(page.locator("svg.usage-svg")).to_have_count(3)
    expect(page.locator("#meter-im_users")).to_contain_text("40 / Unlimited")
    trip.shot("usage")
    page.locator("#app-calls summary").click()
    expect(page.locator("#app-calls table")).to_be_visible()
    trip.shot("usage-table-open")

    page.get_by_role("link", name="Usage of all apps").click()
    expect(page.get_by_role("heading", name="Usage of all apps")).to_be_visible()
    trip.shot("org-usage")

    trip.goto("/o/acme/apps/chat/features/")
    expect(page.locator("#feature-im_users .quota-usage")).to_contain_text("40")
    trip.shot("feature-overview")

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    for path, name in (("/o/acme/apps/chat/usage/", "usage-zh"), ("/o/acme/usage/", "org-usage-zh"),
                       ("/o/acme/apps/chat/", "app-overview-zh")):
        trip.goto(path)
        trip.shot(name)
