"""The checkout's fee box keeps up with what the customer types (SQLite live server, Chromium)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_owner_of_a_pro_app

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_quantity_typed_while_a_plan_change_is_in_flight_is_kept_and_priced(journey):
    trip = signed_in_owner_of_a_pro_app(journey, "checkout-estimate")
    page = trip.page
    trip.goto("/o/acme/apps/chat/upgrade/")
    storage = page.locator("#id_addon_message_storage")
    storage.fill("3")
    expect(page.locator("#fee-box")).to_contain_text("Message storage × 3")

    # Hold the plan change's estimate until the customer has typed another quantity.
    held = []
    page.route("**/upgrade/estimate/", lambda route: held.append(route) if "part=plan" in (
        route.request.post_data or "") else route.continue_())
    flagship = page.locator("input[name=plan][value=premium]").get_attribute("id")
    page.locator(f"label[for='{flagship}']").click()
    page.wait_for_function("() => document.querySelector('.htmx-request') !== null")
    while not held:
        page.wait_for_timeout(20)
    storage.fill("7")
    held.pop().continue_()

    expect(storage).to_have_value("7")
    expect(page.locator("#fee-box")).to_contain_text("Premium")
    expect(page.locator("#fee-box")).to_contain_text("Message storage × 7")
    trip.shot("checkout-after-race")
