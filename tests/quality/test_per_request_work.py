"""What an org page no longer does on every request (issue 14), and that the values it now keeps in the cache
still follow the database: the session is written only when the current org changes, the arrears banner and the
catalog are cached and forgotten on change, the bill page shows a month 100 lines at a time."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.plans.models import Plan, PlanFeature
from billing.models import Bill, BillLine, LedgerEntry
from billing.services import bills_generate, ledger_adjust
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.applications.factories import AppFactory
from tests.billing.factories import at, order_bought
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db
BANNER = 'id="arrears-banner"'


def _sql(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_session_is_written_when_the_current_org_changes_not_on_every_page(owner, owner_client, org):
    other = OrganizationFactory(name="globex")
    MembershipFactory(organization=other, user=owner, role=Role.OWNER)
    acme_apps = reverse("applications:app_list", kwargs={"org_name": "acme"})
    globex_apps = reverse("applications:app_list", kwargs={"org_name": "globex"})

    def writes(url):
        return [sql for sql in _sql(owner_client, url) if "django_session" in sql and not sql.startswith("SELECT")]

    assert writes(acme_apps)  # the first org page records the current org
    assert writes(acme_apps) == []  # the same org again: nothing written
    assert writes(globex_apps)  # switching org writes it
    assert owner_client.session["current_org"] == "globex"
    assert writes(globex_apps) == []


def test_the_membership_is_read_once_for_the_access_check_and_the_org_switcher(owner, owner_client, org):
    MembershipFactory(organization=OrganizationFactory(name="globex"), user=owner, role=Role.DEVELOPER)
    url = reverse("applications:app_list", kwargs={"org_name": "acme"})
    owner_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = owner_client.get(url).content.decode()
    assert len([q for q in ctx.captured_queries if "accounts_membership" in q["sql"]]) == 1
    assert "globex" in page  # the switcher still lists every org of the user


def test_the_arrears_banner_follows_the_ledger_through_the_cache(owner_client, org):
    staff = UserFactory(email="staff@platform.test", is_staff=True)
    url = reverse("applications:app_list", kwargs={"org_name": "acme"})
    assert BANNER not in owner_client.get(url).content.decode()
    assert BANNER not in owner_client.get(url).content.decode()  # served from the cache
    ledger_adjust(organization=org, amount=Decimal("-10.00"), note="correction", staff=staff)
    assert BANNER in owner_client.get(url).content.decode()
    LedgerEntry.objects.create(organization=org, kind=LedgerEntry.Kind.TOPUP, amount=Decimal("10.00"))
    assert BANNER not in owner_client.get(url).content.decode()


def test_a_billing_run_shows_the_banner_on_the_next_page(owner_client, org):
    app = AppFactory(organization=org, name="chat")
    url = reverse("applications:app_list", kwargs={"org_name": "acme"})
    order_bought(dt.date(2026, 2, 10), app=app)
    assert BANNER not in owner_client.get(url).content.decode()
    bills_generate(month=dt.date(2026, 2, 1), now=at(dt.date(2026, 3, 5)))  # deducted in SQL, no signal
    assert BANNER in owner_client.get(url).content.decode()


def test_the_cached_catalog_follows_a_change_in_the_admin(owner_client, org):
    app = AppFactory(organization=org, name="chat")
    OrderFactory(app=app, plan=Plan.objects.get(code="pro"))
    url = reverse("features:overview", kwargs={"org_name": "acme", "app_name": "chat"})
    assert "Message recall" in owner_client.get(url).content.decode()
    cached = _sql(owner_client, url)
    assert not [sql for sql in cached if 'FROM "plans_planfeature"' in sql or 'FROM "plans_addon"' in sql]
    row = PlanFeature.objects.get(plan__code="pro", feature__code="group_members")
    row.quota = 4321
    row.save()
    assert "4,321" in owner_client.get(url).content.decode()


def test_a_month_of_thousands_of_lines_shows_50_at_a_time_under_the_whole_total(owner_client, org):
    app = AppFactory(organization=org, name="chat")
    month = dt.date(2026, 1, 1)
    bill = Bill.objects.create(organization=org, month=month, total=Decimal("250.00"), line_count=250)
    for _ in range(250):
        order = OrderFactory(app=app, plan=Plan.objects.get(code="pro"), status="completed",
                             with_plan_line=False, charge_end_date=dt.date.today())
        BillLine.objects.create(bill=bill, order=order, app=app, start_date=month, end_date=month + dt.timedelta(5),
                                days=5, monthly_fee=Decimal("1.00"), amount=Decimal("1.00"))
    url = reverse("billing:bill_detail", kwargs={"org_name": "acme", "year": 2026, "month": 1})
    first = owner_client.get(url).content.decode()
    last = owner_client.get(url, {"page": 5}).content.decode()
    assert first.count('<td class="text-end">5</td>') == 50
    assert last.count('<td class="text-end">5</td>') == 50
    assert "Lines 1–50 of 250" in first and "Lines 201–250 of 250" in last
    assert "¥250.00" in first and "¥250.00" in last  # the month's total on every page
    csv = b"".join(owner_client.get(reverse("billing:export_bills", kwargs={"org_name": "acme"})).streaming_content)
    assert csv.decode("utf-8-sig").count("2026-01,") == 250


def test_the_bill_list_counts_each_bills_lines(owner_client, org):
    app = AppFactory(organization=org, name="chat")
    order_bought(dt.date(2026, 1, 10), app=app)
    order_bought(dt.date(2026, 1, 12), app=AppFactory(organization=org, name="desk"))
    bills_generate(month=dt.date(2026, 1, 1), now=at(dt.date(2026, 2, 5)))
    Bill.objects.create(organization=org, month=dt.date(2025, 12, 1), total=Decimal("0.00"))
    page = owner_client.get(reverse("billing:bill_list", kwargs={"org_name": "acme"})).content.decode()
    assert '<td class="text-end">2</td>' in page and '<td class="text-end">0</td>' in page


def _order_sql(sql: list[str]) -> list[str]:
    return [q for q in sql if 'FROM "orders_order' in q]


@pytest.mark.parametrize("activation", ["one order", "set-based tick"])
def test_an_upgrade_going_in_service_shows_at_once_through_the_cached_entitlements(owner_client, org, activation):
    from django.utils import timezone

    from orders.entitlements import app_entitlements
    from orders.services import order_activate, orders_activate_due
    from tests.orders.factories import app_on_plan

    app = AppFactory(organization=org, name="chat")
    app_on_plan(app, "pro")
    url = reverse("features:overview", kwargs={"org_name": "acme", "app_name": "chat"})
    past = timezone.now() - dt.timedelta(minutes=5)
    upgrade = OrderFactory(app=app, plan=Plan.objects.get(code="flagship"), status="provisioning",
                           activate_after=past)
    owner_client.get(url)
    assert _order_sql(_sql(owner_client, url)) == []  # the entitlements come from the cache
    assert app_entitlements(app=app).plan.code == "pro"
    if activation == "one order":
        assert order_activate(order=upgrade)
    else:
        assert orders_activate_due() == 1  # set-based: no signal, the transition forgets the app itself
    assert app_entitlements(app=app).plan.code == "flagship"
    page = owner_client.get(url).content.decode()
    assert "Flagship" in page
    assert _order_sql(_sql(owner_client, url)) == []  # cached again


def test_an_add_on_going_in_service_raises_the_quota_at_once(owner_client, org):
    from orders.entitlements import app_entitlements
    from orders.services import order_transition
    from tests.orders.factories import add_addon_line, app_on_plan

    app = AppFactory(organization=org, name="chat")
    pro = app_on_plan(app, "pro")
    before = app_entitlements(app=app).quota("rest_rate").value
    addon = OrderFactory(app=app, plan=None, plan_order=pro, status="provisioning")
    add_addon_line(addon, "rest_rate", quantity=2)
    assert app_entitlements(app=app).quota("rest_rate").value == before  # cached; provisioning does not count
    order_transition(order=addon, to_status="in_service")
    assert app_entitlements(app=app).quota("rest_rate").value > before
    order_transition(order=addon, to_status="completed")
    assert app_entitlements(app=app).quota("rest_rate").value == before


def test_an_app_on_free_gets_its_first_plan_at_once(org):
    from orders.entitlements import app_entitlements
    from orders.services import order_activate

    app = AppFactory(organization=org, name="chat")
    assert app_entitlements(app=app).plan.code == "free"
    assert app_entitlements(app=app).plan.code == "free"
    order = OrderFactory(app=app, plan=Plan.objects.get(code="pro"), status="provisioning",
                         activate_after=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert app_entitlements(app=app).plan.code == "free"
    assert order_activate(order=order)
    assert app_entitlements(app=app).plan.code == "pro"


def test_within_a_request_the_catalog_is_read_once_and_a_change_in_it_is_seen(org):
    from apps.plans.selectors import catalog_plans, catalog_request_finished, catalog_request_started

    catalog_request_started()
    try:
        plans = catalog_plans()
        assert catalog_plans() is plans  # the request's memo, no second cache read
        pro = Plan.objects.get(code="pro")
        pro.name_en = "Pro Max"
        pro.save()  # a change in the same request (the admin's save) empties the memo
        assert "Pro Max" in [plan.name_en for plan in catalog_plans()]
    finally:
        catalog_request_finished()
    held = catalog_plans()
    assert catalog_plans() is held  # the process keeps what it read while the generation is the same
    Plan.objects.filter(code="pro").update(name_en="Pro Max II")  # no signal: the process keeps its copy …
    assert catalog_plans() is held
    Plan.objects.get(code="pro").save()  # … until a saved change starts a new generation
    assert "Pro Max II" in [plan.name_en for plan in catalog_plans()]


def test_a_catalog_change_in_another_process_is_seen_through_the_shared_generation(org):
    """Another web worker's save replaces the generation in the shared cache; this process's copies follow it."""
    from django.core.cache import cache

    from apps.plans.selectors import _CATALOG_GENERATION_KEY, catalog_plans

    held = catalog_plans()
    Plan.objects.filter(code="pro").update(name_en="Pro Elsewhere")  # what the other process wrote …
    cache.set(_CATALOG_GENERATION_KEY, "another-process", None)  # … and the generation its signal started
    assert catalog_plans() is not held
    assert "Pro Elsewhere" in [plan.name_en for plan in catalog_plans()]



def test_the_banner_and_the_bell_are_read_in_one_cache_round_trip(owner_client, org, monkeypatch):
    """Every org page shows the arrears banner and the alert bell, both cached: one get_many reads both."""
    from django.core.cache import caches

    from apps.notifications.selectors import GENERATION_KEY
    from billing.selectors import arrears_cache_keys

    url = reverse("applications:app_list", kwargs={"org_name": "acme"})
    owner_client.get(url)  # both values computed and cached
    backend, reads = caches["default"], []
    original = backend.get_many
    monkeypatch.setattr(backend, "get_many",
                        lambda keys, *args, **kwargs: reads.append(list(keys)) or original(keys, *args, **kwargs))
    assert owner_client.get(url).status_code == 200
    arrears_key = arrears_cache_keys(organization_id=org.pk)[0]
    touching = [keys for keys in reads if arrears_key in keys or GENERATION_KEY in keys]
    assert len(touching) == 1 and arrears_key in touching[0] and GENERATION_KEY in touching[0]
