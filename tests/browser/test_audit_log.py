"""The audit log's app filter is a name typed in (issue 14: a select of every app rendered 1,000 options on
every page of an org with 1,000 apps); each entry's app links to the app."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.accounts.roles import Role
from apps.audit.services import audit_record
from tests.accounts.factories import PASSWORD, MembershipFactory, OrganizationFactory, UserFactory
from tests.applications.factories import AppFactory
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_audit_log_filters_by_a_typed_app_name_and_links_each_app(journey):
    org = OrganizationFactory(name="acme")
    owner = MembershipFactory(organization=org, role=Role.OWNER, user=UserFactory(email="owner@acme.test")).user
    for name in ("chat", "support-bot"):
        app = AppFactory(organization=org, name=name, product_name=name.title())
        audit_record(organization=org, actor=owner, app=app, action="app.created", summary=f"App {name} created")
    trip = journey("audit-log")
    page = trip.page
    log_in(trip, "owner@acme.test", PASSWORD)
    trip.goto(reverse("audit:audit_list", kwargs={"org_name": "acme"}))
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    trip.shot("audit-log")

    page.get_by_label("App").fill("support-bot")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("App")).to_have_value("support-bot")
    trip.shot("audit-log-filtered")
    rows.first.get_by_role("link", name="support-bot").click()
    app_url = reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": "support-bot"})
    expect(page).to_have_url(f"{trip.base_url}{app_url}")
    trip.assert_clean()
