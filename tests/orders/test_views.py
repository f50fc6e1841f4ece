"""Checkout, estimate, order center and order details as a user sees them."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from orders.models import Order
from orders.selectors import AddonRequest
from orders.services import orders_activate_due
from tests.applications.factories import AppFactory
from tests.orders.factories import OrderFactory, add_addon_line, app_on_plan

S = Order.Status


def checkout_url(app):
    return reverse("orders:checkout", kwargs={"org_name": app.organization.name, "app_name": app.name})


def estimate_url(app):
    return reverse("orders:estimate", kwargs={"org_name": app.organization.name, "app_name": app.name})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def buy_post(client, app, **data):
    token = token_of(client.get(checkout_url(app)))
    payload = {"token": token, "agree": "on", "plan": "", "addon_group_members": "", "addon_user_groups": "",
               "addon_message_storage": "0", "addon_rest_rate": "0", **data}
    return client.post(checkout_url(app), payload), payload


# --- checkout -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_checkout_shows_the_current_plan_and_only_higher_plans(owner_client, app):
    app_on_plan(app, "pro")
    html = owner_client.get(checkout_url(app)).content.decode()
    assert 'id="current-plan">Pro<' in html
    plans = re.findall(r'name="plan" value="([^"]*)"', html)
    assert plans == ["", "flagship", "premium"]
    assert "Keep Pro (add-ons only)" in html
    assert 'I have read and agree to the <a href="/agreement/"' in html
    assert 'id="addons"' in html


@pytest.mark.django_db
def test_free_app_checkout_offers_no_keep_option(owner_client, app):
    html = owner_client.get(checkout_url(app)).content.decode()
    assert re.findall(r'name="plan" value="([^"]*)"', html) == ["pro", "flagship", "premium"]
    assert "On the Free plan, add-ons are bought together with a plan." in html


@pytest.mark.django_db
def test_premium_app_checkout_offers_addons_only(owner_client, app):
    app_on_plan(app, "premium")
    html = owner_client.get(checkout_url(app)).content.decode()
    assert re.findall(r'name="plan" value="([^"]*)"', html) == [""]
    assert "Premium is the highest plan" in html


@pytest.mark.django_db
def test_tier_select_offers_only_tiers_above_the_current_cap(owner_client, app):
    add_addon_line(app_on_plan(app, "pro"), "group_members", tier_value=1000)
    html = owner_client.get(checkout_url(app)).content.decode()
    select = re.search(r'<select name="addon_group_members".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="(\d+)"', select) == ["3000", "5000", "8000"]


@pytest.mark.django_db
def test_feature_link_preselects_the_cheapest_plan_that_includes_it(owner_client, app):
    html = owner_client.get(checkout_url(app) + "?feature=callbacks").content.decode()
    assert re.search(r'name="plan" value="pro"[^>]*checked', html)
    html = owner_client.get(checkout_url(app) + "?feature=user_groups").content.decode()
    assert re.search(r'name="plan" value="pro"[^>]*checked', html)
    app_on_plan(app, "pro")
    html = owner_client.get(checkout_url(app) + "?feature=group_members").content.decode()
    assert re.search(r'name="plan" value="flagship"[^>]*checked', html)


@pytest.mark.django_db
def test_feature_link_for_the_rest_rate_preselects_one_unit_of_its_add_on(owner_client, app):
    """Every plan has 100 calls/s: the REST calls/s alert's link preselects the add-on (with Pro on Free,
    which cannot buy add-ons alone), and the fee box prices that."""
    html = owner_client.get(checkout_url(app) + "?feature=rest_rate").content.decode()
    assert re.search(r'name="plan" value="pro"[^>]*checked', html)
    assert re.search(r'name="addon_rest_rate" value="1"', html)
    app_on_plan(app, "pro")
    html = owner_client.get(checkout_url(app) + "?feature=rest_rate").content.decode()
    assert re.search(r'name="plan" value=""[^>]*checked', html)
    assert re.search(r'name="addon_rest_rate" value="1"', html)
    assert "addon_rest_rate=1" in html  # the fee box's priced inputs


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DEVELOPER, Role.FINANCE])
def test_checkout_is_forbidden_to_roles_that_may_not_buy(member_client, app, role):
    client = member_client(role)
    assert client.get(checkout_url(app)).status_code == 403
    assert client.post(estimate_url(app), {"plan": "pro"}).status_code == 403


@pytest.mark.django_db
def test_admin_may_buy(member_client, app):
    response, _payload = buy_post(member_client(Role.ADMIN), app, plan="pro")
    assert response.status_code == 302
    assert Order.objects.get().plan.code == "pro"


@pytest.mark.django_db
def test_another_orgs_app_checkout_is_404(other_org_client, app):
    assert other_org_client.get(checkout_url(app)).status_code == 404
    assert other_org_client.post(estimate_url(app), {"plan": "pro"}).status_code == 404


@pytest.mark.django_db
def test_buy_now_places_the_order_and_redirects_to_its_details(owner_client, app):
    response, _payload = buy_post(owner_client, app, plan="flagship", addon_group_members="5000",
                                  addon_message_storage="10")
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order_detail", kwargs={"org_name": "acme", "number": order.number})
    assert order.items_summary == "Flagship + Members per group 5,000 + Message storage × 10"
    page = owner_client.get(response["Location"]).content.decode()
    assert f"Order {order.number} placed" in page


@pytest.mark.django_db
def test_buy_now_without_the_agreement_is_refused(owner_client, app):
    response, _payload = buy_post(owner_client, app, plan="pro", agree="")
    assert response.status_code == 200
    assert not Order.objects.exists()
    assert "Tick the agreement to buy." in response.content.decode()


@pytest.mark.django_db
def test_buy_now_without_the_agreement_names_the_cause_in_chinese(owner_client, app, settings):
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response, _payload = buy_post(owner_client, app, plan="pro", agree="")
    assert "请勾选同意协议后再购买。" in response.content.decode()


@pytest.mark.django_db
def test_an_order_records_the_agreement_version_its_buyer_accepted(owner_client, app):
    from orders.models import PurchaseAgreement

    assert PurchaseAgreement.objects.get().version == 1  # seeded by the data migration
    buy_post(owner_client, app, plan="pro")
    PurchaseAgreement.objects.create(version=2, text_en="Second.", text_zh="第二版。")
    order = Order.objects.get()
    assert order.agreement_version == 1
    order.status = S.IN_SERVICE
    order.save()
    buy_post(owner_client, app, plan="flagship")
    assert Order.objects.get(plan__code="flagship").agreement_version == 2


@pytest.mark.django_db
def test_the_agreement_page_shows_the_latest_version_in_the_readers_language(client, settings):
    from orders.models import PurchaseAgreement

    PurchaseAgreement.objects.create(version=2, text_en="Second version terms.", text_zh="第二版条款。")
    page = client.get("/agreement/").content.decode()
    assert "Second version terms." not in page and "第二版条款。" in page and "第 2 版" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/agreement/").content.decode()
    assert "Second version terms." in page and "Version 2," in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("current", "data", "message"),
    [
        ("flagship", {"plan": "pro"}, "Select a valid choice"),
        ("free", {"plan": "", "addon_message_storage": "3"}, "Free cannot buy add-ons alone: choose a plan."),
        ("pro", {"plan": "flagship", "addon_group_members": "3000"}, "not above the cap of 3,000"),
        ("pro", {"addon_message_storage": "121"}, "less than or equal to 120"),
        ("pro", {"addon_group_members": "9999"}, "Select a valid choice"),
        ("pro", {"token": "forged:token"}, "expired or was altered"),
    ],
    ids=["lower-plan", "free-addons-alone", "tier-at-cap", "quantity", "unknown-tier", "forged-token"],
)
def test_crafted_posts_are_refused_with_a_message_and_create_nothing(owner_client, app, current, data, message):
    app_on_plan(app, current)
    before = Order.objects.count()
    response, _payload = buy_post(owner_client, app, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Order.objects.count() == before


@pytest.mark.django_db
def test_refused_purchase_in_arrears_shows_the_message(owner_client, app, org):
    from decimal import Decimal

    from billing.models import LedgerEntry

    LedgerEntry.objects.create(organization=org, kind=LedgerEntry.Kind.ADJUSTMENT, amount=Decimal("-10.00"))
    response, _payload = buy_post(owner_client, app, plan="pro")
    assert "in arrears: top up the balance" in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_double_submit_makes_one_order_and_says_so(owner_client, app):
    first, payload = buy_post(owner_client, app, plan="pro")
    second = owner_client.post(checkout_url(app), payload, follow=True)
    assert Order.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "already placed as order" in second.content.decode()


@pytest.mark.django_db
def test_two_tabs_with_different_tokens_make_one_order_and_a_clear_refusal(owner_client, app):
    tab_one = token_of(owner_client.get(checkout_url(app)))
    tab_two = token_of(owner_client.get(checkout_url(app)))
    base = {"agree": "on", "plan": "pro", "addon_message_storage": "0", "addon_rest_rate": "0"}
    owner_client.post(checkout_url(app), {**base, "token": tab_one})
    response = owner_client.post(checkout_url(app), {**base, "token": tab_two})
    assert Order.objects.count() == 1
    errors = re.search(r'id="purchase-errors">(.*?)</div></div>', response.content.decode(), re.S).group(1)
    assert "This app has an order still provisioning" in errors


@pytest.mark.django_db
def test_checkout_while_an_order_is_provisioning_shows_it_and_no_form(owner_client, app):
    order = OrderFactory(app=app, status=S.PROVISIONING)
    html = owner_client.get(checkout_url(app)).content.decode()
    assert f"Order {order.number} for this app is still provisioning" in html
    assert "Buy now" not in html


# --- estimate (htmx) ------------------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 4, 10, 4, 0, tzinfo=dt.UTC), tick=False)
def test_estimate_shows_monthly_and_prorated_base_fees(owner_client, app):
    response = owner_client.post(estimate_url(app), {"plan": "pro", "addon_message_storage": "2"},
                                 headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="fee-box"' in html and "<html" not in html
    assert 'id="fee-monthly">¥1,888.00<' in html
    assert "Rest of this month (21 of 30 days)" in html
    assert 'id="fee-prorated" class="fee-prorated">¥1,321.60<' in html
    assert "Estimated base fees only; the monthly bill is what counts." in html


@pytest.mark.django_db
def test_estimate_shows_the_rule_refusal(owner_client, app):
    html = owner_client.get(estimate_url(app), {"plan": "flagship", "addon_group_members": "3000"}).content.decode()
    assert 'id="fee-refusal"' in html
    assert "not above the cap of 3,000" in html


@pytest.mark.django_db
def test_estimate_with_nothing_chosen_shows_a_hint(owner_client, app):
    html = owner_client.get(estimate_url(app), {"plan": ""}).content.decode()
    assert 'id="fee-hint"' in html


@pytest.mark.django_db
def test_plan_change_rerenders_addons_out_of_band_without_tiers_the_plan_reaches(owner_client, app):
    html = owner_client.post(estimate_url(app), {"part": "plan", "plan": "flagship",
                                                 "addon_group_members": "1000"}).content.decode()
    assert 'id="addons" aria-labelledby="addons-title" hx-swap-oob="true"' in html
    select = re.search(r'<select name="addon_group_members".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="(\d+)"', select) == ["5000", "8000"]
    assert 'id="fee-monthly">¥2,888.00<' in html


# --- order center ---------------------------------------------------------------------------------------


def list_url(**params):
    from urllib.parse import urlencode

    url = reverse("orders:order_list", kwargs={"org_name": "acme"})
    return f"{url}?{urlencode(params)}" if params else url


@pytest.mark.django_db
def test_order_list_shows_the_orgs_orders_and_not_another_orgs(owner_client, org, other_org):
    mine = OrderFactory(app=AppFactory(organization=org, name="chat-prod"))
    add_addon_line(mine, "message_storage", quantity=10)
    theirs = OrderFactory(app=AppFactory(organization=other_org))
    html = owner_client.get(list_url()).content.decode()
    assert mine.number in html and theirs.number not in html
    assert "acme#chat-prod" in html
    assert "Pro + Message storage × 10" in html
    assert "¥5,888.00" in html
    assert 'class="badge badge-status-in_service"' in html


@pytest.mark.django_db
def test_order_list_filters_by_status_app_and_purchase_date(owner_client, org):
    chat, desk = AppFactory(organization=org, name="chat"), AppFactory(organization=org, name="desk")
    old = OrderFactory(app=chat, status=S.COMPLETED, created_at=dt.datetime(2026, 1, 5, 4, tzinfo=dt.UTC))
    current = OrderFactory(app=chat, created_at=dt.datetime(2026, 2, 5, 4, tzinfo=dt.UTC))
    pending = OrderFactory(app=desk, status=S.PROVISIONING, created_at=dt.datetime(2026, 2, 20, 4, tzinfo=dt.UTC))

    def numbers(**params):
        html = owner_client.get(list_url(**params)).content.decode()
        return {o.number for o in (old, current, pending) if o.number in html}

    assert numbers(status="provisioning") == {pending.number}
    assert numbers(app="chat") == {old.number, current.number}
    assert numbers(date_from="2026-02-01", date_to="2026-02-10") == {current.number}
    assert numbers(status="completed", app="desk") == set()
    assert "The end date is before the start date" in owner_client.get(
        list_url(date_from="2026-02-10", date_to="2026-02-01")).content.decode()


@pytest.mark.django_db
def test_order_list_paginates_by_20(owner_client, org):
    for i in range(21):
        OrderFactory(app=AppFactory(organization=org), created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
                     + dt.timedelta(hours=i))
    first = owner_client.get(list_url()).content.decode()
    second = owner_client.get(list_url(page=2)).content.decode()
    assert first.count('class="badge badge-status-') == 20
    assert second.count('class="badge badge-status-') == 1
    assert "Page 1 of 2 · 21 orders" in first


@pytest.mark.django_db
def test_order_list_query_count_does_not_grow_with_orders(owner_client, org):
    def queries() -> int:
        owner_client.get(list_url())  # warm-up (current org, caches): count a later one
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(list_url()).status_code == 200
        return len(ctx.captured_queries)

    order = OrderFactory(app=AppFactory(organization=org))
    add_addon_line(order, "rest_rate", quantity=2)
    one = queries()
    for _ in range(29):
        more = OrderFactory(app=AppFactory(organization=org))
        add_addon_line(more, "message_storage", quantity=1)
    assert queries() == one


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [(Role.FINANCE, 200), (Role.ADMIN, 200), (Role.DEVELOPER, 403)])
def test_order_center_roles(member_client, org, role, status):
    order = OrderFactory(app=AppFactory(organization=org))
    client = member_client(role)
    assert client.get(list_url()).status_code == status
    detail = reverse("orders:order_detail", kwargs={"org_name": "acme", "number": order.number})
    assert client.get(detail).status_code == status


@pytest.mark.django_db
def test_order_detail_shows_items_fees_buyer_and_history(owner_client, app, buy, owner):
    order = buy(app, "flagship", [])
    orders_activate_due(now=order.activate_after)
    html = owner_client.get(reverse("orders:order_detail", kwargs={"org_name": "acme", "number": order.number})
                            ).content.decode()
    assert "acme#chat" in html and owner.email in html
    assert "¥2,888.00" in html
    history = re.search(r'id="order-history".*?</table>', html, re.S).group(0)
    assert history.count("<tr>") == 3  # header + provisioning + in service
    assert "In service" in history


@pytest.mark.django_db
def test_provisioning_order_detail_shows_the_activation_eta(owner_client, app, buy):
    order = buy(app, "pro")
    html = owner_client.get(reverse("orders:order_detail", kwargs={"org_name": "acme", "number": order.number})
                            ).content.decode()
    assert 'id="activation-eta"' in html
    assert "goes in service at about" in html


@pytest.mark.django_db
def test_another_orgs_order_detail_is_404(owner_client, other_org_client, other_org, app):
    theirs = OrderFactory(app=AppFactory(organization=other_org))
    mine = OrderFactory(app=app)
    assert owner_client.get(reverse("orders:order_detail", kwargs={"org_name": "acme", "number": theirs.number})
                            ).status_code == 404
    assert other_org_client.get(reverse("orders:order_detail", kwargs={"org_name": "acme", "number": mine.number})
                                ).status_code == 404
    assert other_org_client.get(list_url()).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, app):
    response = client.get(checkout_url(app))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_the_app_overview_shows_an_order_placed_after_it_was_viewed_without_one(owner_client, app, buy):
    """The overview remembers that the app has no order in flight (orders.entitlements): a purchase forgets it."""
    overview = reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": app.name})
    for _ in range(2):
        assert "in progress" not in owner_client.get(overview).content.decode()
    order = buy(app, "flagship", [])
    page = owner_client.get(overview).content.decode()
    assert "Upgrade to Flagship in progress" in page and 'hx-trigger="every 3s"' in page
    assert "Upgrade to Flagship in progress" in owner_client.get(overview).content.decode()  # from the cache now
    orders_activate_due(now=order.activate_after)
    assert "in progress" not in owner_client.get(overview).content.decode()


@pytest.mark.django_db
def test_app_and_feature_overviews_reflect_the_order_once_in_service(owner_client, app, buy):
    order = buy(app, "flagship", [AddonRequest(code="group_members", tier_value=8000)])
    overview = reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": app.name})
    features = reverse("features:overview", kwargs={"org_name": "acme", "app_name": app.name})
    page = owner_client.get(overview).content.decode()
    assert 'id="app-plan-badge">Flagship' not in page
    assert "Upgrade to Flagship in progress" in page and 'hx-trigger="every 3s"' in page
    orders_activate_due(now=order.activate_after)
    page = owner_client.get(overview).content.decode()
    assert 'id="app-plan-badge">Flagship' in page
    assert "in progress" not in page and 'hx-trigger="every 3s"' not in page
    feature_page = owner_client.get(features).content.decode()
    assert "Flagship" in feature_page and "8,000" in feature_page
