"""The journey a paying customer takes, end to end in Chromium, with a real Celery worker and beat putting
orders in service (PostgreSQL + Redis; CI's second pass):

sign up → create an app → copy its AppKey → enable a feature for free → buy Pro with 10 message-storage units →
provisioning → in service → the app shows 307 storage days → add an add-on → upgrade to Flagship and see the
Pro order and its add-on order completed → invite a finance member, who sees the orders, and after
``manage.py bill_month`` the bill, and downloads the bills CSV.

The finance member also sees no Upgrade link; the journey saves a screenshot of every page it visits."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from console.timeutil import business_date, business_midnight, month_start, next_month_start
from tests.quality.celery_worker import running_worker, worker_log

pytestmark = [pytest.mark.celery, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OWNER_EMAIL = "founder@initech.test"
FINANCE_EMAIL = "books@initech.test"
PASSWORD = "Journey-pass-2026!"
ORDER_NUMBER = re.compile(r"/orders/([^/]+)/$")


def wait_for_status(trip, label: str, timeout: float = 30.0) -> None:
    """Watch the order page, never reloaded, until beat has moved the order (2 s provisioning, a 1 s scan)
    and the page's own polling (every 3 s) shows it."""
    expect(trip.page.locator("#order-status")).to_have_text(label, timeout=timeout * 1000)


PLAN_NAMES = {"pro": "Pro", "flagship": "Flagship"}


def htmx_settled(page) -> None:
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def buy(trip, *, plan: str | None = None, addons: dict[str, tuple[str, str]] | None = None) -> str:
    """On the checkout page: choose, agree, Buy now; returns the new order's number.
    ``addons``: field -> (units, the label the fee box shows for it)."""
    page = trip.page
    if plan:
        radio_id = page.locator(f"input[name=plan][value={plan}]").get_attribute("id")
        # Choosing a plan re-renders the add-ons (htmx, out of band): type the add-ons once that swap is done.
        with page.expect_response(lambda response: "/upgrade/estimate/" in response.url):
            page.locator(f"label[for='{radio_id}']").click()
        htmx_settled(page)
        expect(page.locator("#fee-box")).to_contain_text(PLAN_NAMES[plan])
    for field, (value, label) in (addons or {}).items():
        page.locator(f"#id_addon_{field}").fill(value)
        expect(page.locator("#fee-box")).to_contain_text(label)
        htmx_settled(page)
    page.get_by_label("I have read and agree to the service purchase agreement").check()
    for field, (value, _label) in (addons or {}).items():
        expect(page.locator(f"#id_addon_{field}")).to_have_value(value)
    trip.shot(f"checkout-{plan or 'addons'}")
    page.get_by_role("button", name="Buy now").click()
    expect(page.get_by_role("heading", name="Order details")).to_be_visible()
    return ORDER_NUMBER.search(page.url)[1]


def test_customer_buys_upgrades_and_finance_reads_the_bill(journey, context, live_server, tmp_path):
    with running_worker(tmp_path / "worker") as worker:
        trip = journey("purchase")
        page = trip.page
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

        # Sign up: the signer-up owns a new organization.
        trip.goto("/accounts/signup/")
        page.get_by_label("Email").fill(OWNER_EMAIL)
        page.get_by_label("OrgName").fill("initech")
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        trip.shot("signup")
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_role("heading", name="Apps", exact=True)).to_be_visible()
        trip.shot("app-list-empty")

        # Create an app and copy its AppKey.
        page.get_by_role("link", name="Create app").first.click()
        page.get_by_label("AppName").fill("tps")
        page.get_by_label("Product name").fill("TPS Reports")
        trip.shot("app-create")
        page.get_by_role("button", name="Create app").click()
        expect(page.get_by_text("initech#tps").first).to_be_visible()
        page.locator("button[data-copy='initech#tps']").click()
        assert page.evaluate("navigator.clipboard.readText()") == "initech#tps"
        trip.shot("app-overview-free")

        # Enable a feature included in Free.
        page.get_by_role("link", name="Feature overview").first.click()
        push = page.locator("tbody tr", has_text="Push").first
        push.get_by_role("button", name="Enable for free").click()
        expect(page.get_by_text("Push is on.")).to_be_visible()
        expect(page.locator("tbody tr", has_text="Push").first).to_contain_text("On")
        trip.shot("feature-overview")

        # Buy Pro with 10 message-storage units; beat puts it in service.
        page.get_by_role("link", name="Upgrade").first.click()
        pro_number = buy(trip, plan="pro", addons={"message_storage": ("10", "Message storage")})
        expect(page.locator("#order-status")).to_have_text("Provisioning")
        trip.shot("order-pro-provisioning")
        wait_for_status(trip, "In service")
        trip.shot("order-pro-in-service")

        trip.goto("/o/initech/apps/tps/")
        expect(page.locator("tr", has_text="Message storage").first).to_contain_text("307")
        trip.shot("app-overview-pro-307-days")

        # Add-ons alone on Pro: an add-on order on the Pro plan order.
        trip.goto("/o/initech/apps/tps/upgrade/")
        addon_number = buy(trip, addons={"rest_rate": ("1", "REST API")})
        wait_for_status(trip, "In service")
        trip.shot("order-addon-in-service")

        # Upgrade to Flagship: the Pro order and its add-on order complete.
        trip.goto("/o/initech/apps/tps/upgrade/")
        flagship_number = buy(trip, plan="flagship")
        wait_for_status(trip, "In service")
        trip.shot("order-flagship-in-service")
        trip.goto(f"/o/initech/orders/{pro_number}/")
        expect(page.locator("#order-status")).to_have_text("Completed")
        expect(page.locator("tr", has_text=addon_number)).to_contain_text("Completed")
        trip.shot("order-pro-completed")
        trip.goto("/o/initech/apps/tps/")
        expect(page.locator("tr", has_text="Message storage").first).to_contain_text("90")
        trip.shot("app-overview-flagship")

        # Invite a finance member, who joins through the link.
        trip.goto("/o/initech/members/")
        page.get_by_label("Email").fill(FINANCE_EMAIL)
        page.get_by_label("Role").select_option("finance")
        page.get_by_role("button", name="Send invitation").click()
        invitation_url = page.locator("#new-invitation-url").input_value()
        trip.shot("members-invited")
        page.locator("#user-menu").click()
        page.get_by_role("button", name="Log out").click()
        page.goto(invitation_url)
        page.get_by_role("button", name="Email me a confirmation link").click()
        expect(page.get_by_text(f"We sent a confirmation link to {FINANCE_EMAIL}")).to_be_visible()
        confirmation = next(m for m in reversed(mail.outbox) if m.to == [FINANCE_EMAIL] and "proof=" in m.body)
        page.goto(re.search(r"https?://\S+proof=\S+", confirmation.body).group(0))
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        trip.shot("invitation-accept")
        page.get_by_role("button", name="Create account and join").click()
        expect(page.get_by_text("You joined initech as Finance")).to_be_visible()

        # Finance sees the three orders, the bill after the billing command, and downloads the CSV.
        page.get_by_role("link", name="Orders", exact=True).click()
        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.filter(has_text="In service")).to_have_count(1)
        expect(rows.filter(has_text="Completed")).to_have_count(2)
        expect(page.get_by_role("link", name="Upgrade")).to_have_count(0)
        trip.shot("finance-orders")

        month = month_start(business_date())
        with time_machine.travel(business_midnight(next_month_start(month) + dt.timedelta(days=5)), tick=False):
            call_command("bill_month", f"{month:%Y-%m}")
        page.get_by_role("link", name="Bills", exact=True).click()
        expect(page.locator("table tbody tr", has_text=f"{month:%Y-%m}")).to_have_count(1)
        trip.shot("finance-bills")
        page.get_by_role("link", name="Details").first.click()
        expect(page.get_by_role("heading", name=f"Bill for {month:%Y-%m}")).to_be_visible()
        total = page.locator("#bill-total").inner_text()
        trip.shot("finance-bill-detail")
        with page.expect_download() as download:
            page.get_by_role("link", name="Export bills (CSV)").click()
        csv_text = download.value.path().read_text(encoding="utf-8-sig")
        # Pro and its add-on were bought and replaced the same day: that day is charged to Flagship only.
        assert f"{month:%Y-%m}" in csv_text and flagship_number in csv_text
        assert pro_number not in csv_text and addon_number not in csv_text
        assert total.replace("¥", "").replace(",", "").strip() in csv_text.replace(",", "")
        assert worker.poll() is None, worker_log(tmp_path / "worker")
