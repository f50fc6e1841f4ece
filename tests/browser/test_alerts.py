"""Alerts in Chromium (SQLite live server): the owner sees the bell's count, opens the list and follows an alert
to the page that fixes it, where the alert shows in place."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.applications.models import App
from apps.notifications import checks
from tests.browser.conftest import signed_in_owner_of_a_pro_app
from tests.push.factories import PushCertificateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_owner_sees_the_bell_count_and_follows_an_alert_to_the_push_page(journey):
    trip = signed_in_owner_of_a_pro_app(journey, "alerts")
    page = trip.page
    app = App.objects.get(name="chat")
    PushCertificateFactory(app=app, name="ios-prod", expires_at=timezone.now() + dt.timedelta(days=5))
    checks.check_push_certificates()

    trip.goto("/o/acme/apps/")
    expect(page.locator("#alert-count")).to_have_text("1")
    page.locator("#alert-bell").click()
    expect(page.get_by_role("heading", name="Alerts")).to_be_visible()
    expect(page.locator("#alerts")).to_contain_text("Push certificate ios-prod of app chat expires on")
    trip.shot("alert-list")

    page.get_by_role("link", name="Fix it").click()
    expect(page).to_have_url(trip.base_url + "/o/acme/apps/chat/features/push/")
    expect(page.locator(".related-alert")).to_contain_text("ios-prod")
    trip.shot("push-page-with-alert")


def test_owner_follows_the_rest_calls_per_second_alert_to_the_checkout_with_the_add_on_chosen(journey):
    from apps.im.models import UsageDay
    from console.timeutil import business_date

    trip = signed_in_owner_of_a_pro_app(journey, "alerts-rest-rate")
    page = trip.page
    app = App.objects.get(name="chat")
    UsageDay.objects.create(app=app, day=business_date(), peak_calls_per_second=92, calls_2xx=40_000)
    checks.check_quotas()

    trip.goto("/o/acme/alerts/")
    expect(page.locator("#alerts")).to_contain_text("App chat peaked at 92 REST API calls in one second today")
    trip.shot("alert-rest-rate")

    page.get_by_role("link", name="Fix it").click()
    expect(page).to_have_url(trip.base_url + "/o/acme/apps/chat/upgrade/?feature=rest_rate")
    expect(page.locator('input[name="addon_rest_rate"]')).to_have_value("1")
    trip.shot("checkout-rest-rate-add-on")
