"""Pages that show something in flight refresh themselves (htmx polling every 3 s that stops once done).
The activation runs in the test thread, as beat would run it: the pages are never reloaded."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.plans.models import Plan
from orders.models import Order
from orders.services import order_activate
from tests.accounts.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from tests.applications.factories import AppFactory
from tests.browser.conftest import log_in
from tests.orders.factories import OrderFactory, app_on_plan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def upgrading():
    """acme's app chat on Pro, with a Flagship order provisioning (due in 4 s); its owner signed up."""
    org = OrganizationFactory(name="acme")
    app = AppFactory(organization=org, name="chat")
    app_on_plan(app, "pro")
    MembershipFactory(organization=org, role=Role.OWNER, user=UserFactory(email="owner@acme.test"))
    now = timezone.now()
    return OrderFactory(app=app, plan=Plan.objects.get(code="flagship"), status=Order.Status.PROVISIONING,
                        created_at=now, activate_after=now + dt.timedelta(seconds=4))


def requests_to(page, path: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if path in request.url else None)
    return seen


def test_order_page_turns_in_service_without_a_reload(journey, upgrading):
    trip = journey("live-order")
    page = trip.page
    log_in(trip, "owner@acme.test", PASSWORD)
    trip.goto(f"/o/acme/orders/{upgrading.number}/")
    expect(page.locator("#order-status")).to_have_text("Provisioning")
    expect(page.locator("#activation-eta [data-countdown-to]")).to_have_text(
        re.compile(r"^in 0:0[0-4]$|^any moment now$"))
    trip.shot("order-provisioning")
    documents = []
    page.on("framenavigated", lambda frame: documents.append(frame.url) if frame == page.main_frame else None)
    polls = requests_to(page, f"/orders/{upgrading.number}/")

    page.wait_for_timeout(4_000)
    assert order_activate(order=upgrading)
    expect(page.locator("#order-status")).to_have_text("In service", timeout=8_000)
    expect(page.locator("#activation-eta")).to_have_count(0)
    assert documents == [], "the page was reloaded"
    asked = len(polls)
    assert asked >= 1
    page.wait_for_timeout(4_000)
    assert len(polls) == asked, "polling goes on after the order is in service"
    trip.shot("order-in-service")


def test_order_list_and_app_overview_follow_the_upgrade(journey, upgrading):
    trip = journey("live-list-and-app")
    page = trip.page
    log_in(trip, "owner@acme.test", PASSWORD)
    trip.goto("/o/acme/apps/chat/")
    expect(page.locator("#app-in-flight")).to_contain_text("Upgrade to Flagship in progress")
    expect(page.locator("#app-plan-badge")).to_have_text("Pro")
    expect(page.locator("body")).not_to_contain_text("{#")
    trip.shot("app-overview-upgrading")

    other = page.context.new_page()
    other.goto(trip.base_url + "/o/acme/orders/")
    row = other.locator("tbody tr", has_text=upgrading.number)
    expect(row).to_contain_text("Provisioning")

    page.wait_for_timeout(4_000)
    assert order_activate(order=upgrading)
    expect(row).to_contain_text("In service", timeout=8_000)
    expect(page.locator("#app-plan-badge")).to_have_text("Flagship", timeout=8_000)
    expect(page.locator("#app-plan-name")).to_have_text("Flagship")
    expect(page.locator("#app-in-flight")).to_be_empty()
    expect(page.locator("#app-in-flight")).not_to_have_attribute("hx-trigger", "every 3s")
    other.close()
    trip.shot("app-overview-flagship")
    trip.goto("/o/acme/orders/")
    expect(page.locator("tbody tr")).to_have_count(2)
    trip.shot("order-list")
