from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from apps.accounts.roles import Role
from apps.applications.models import App, DataCenter
from apps.audit.models import AuditEntry
from apps.plans.models import CatalogSettings
from tests.accounts.factories import PASSWORD
from tests.applications.factories import AppFactory
from tests.conftest import confirm_identity
from tests.orders.factories import OrderFactory

pytestmark = pytest.mark.django_db


def org_url(name, org, **kwargs):
    return reverse(f"applications:{name}", kwargs={"org_name": org.name, **kwargs})


def app_url(name, app):
    return reverse(f"applications:{name}", kwargs={"org_name": app.organization.name, "app_name": app.name})


# --- app list -----------------------------------------------------------------------------------


def test_the_app_list_shows_each_app_with_its_plan_and_status(owner_client, org, other_org):
    AppFactory(organization=org, name="chat-prod")
    OrderFactory(app=AppFactory(organization=org, name="game-eu"))
    AppFactory(organization=org, name="old-app", status=App.Status.DISABLED)
    AppFactory(organization=other_org, name="their-app")
    html = owner_client.get(org_url("app_list", org)).content.decode()
    assert "acme#chat-prod" in html and "acme#game-eu" in html
    assert 'plan-pro">Pro</span>' in html and 'plan-free">Free</span>' in html
    assert 'app-status-disabled">Disabled</span>' in html and 'app-status-active">Active</span>' in html
    assert "their-app" not in html


@pytest.mark.parametrize(("language", "active"), [("en", "Active"), ("zh-hans", "正常")])
def test_an_app_list_row_shows_its_product_name_as_text_and_the_data_center_in_the_language(
        owner_client, org, language, active):
    app = AppFactory(organization=org, name="chat-prod", product_name='<b>"Chat"</b>')
    html = owner_client.get(org_url("app_list", org), headers={"accept-language": language}).content.decode()
    assert '<b>"Chat"</b>' not in html and "&lt;b&gt;&quot;Chat&quot;&lt;/b&gt;" in html
    center = app.data_center.name_zh if language == "zh-hans" else app.data_center.name_en
    assert f"<td>{center}</td>" in html
    assert f'app-status-active">{active}</span>' in html
    assert f'<a class="fw-semibold" href="/o/{org.name}/apps/chat-prod/">chat-prod</a>' in html


def test_the_app_list_searches_by_appname(owner_client, org):
    AppFactory(organization=org, name="chat-prod")
    AppFactory(organization=org, name="game-eu")
    html = owner_client.get(org_url("app_list", org), {"q": "CHAT"}).content.decode()
    assert "chat-prod" in html
    assert "game-eu" not in html


def test_the_app_list_pages_by_twenty(owner_client, org):
    AppFactory.create_batch(25, organization=org)
    first = owner_client.get(org_url("app_list", org)).context["page"]
    second = owner_client.get(org_url("app_list", org), {"page": 2}).context["page"]
    assert len(first.object_list) == 20 and len(second.object_list) == 5
    assert not {a.pk for a in first} & {a.pk for a in second}


def test_an_org_without_apps_sees_the_empty_state_with_a_create_button(owner_client, org):
    html = owner_client.get(org_url("app_list", org)).content.decode()
    assert "No apps yet" in html
    assert org_url("app_create", org) in html


def test_finance_sees_the_list_without_a_create_button(member_client, org):
    AppFactory(organization=org, name="chat-prod")
    html = member_client(Role.FINANCE).get(org_url("app_list", org)).content.decode()
    assert "chat-prod" in html
    assert org_url("app_create", org) not in html


def _list_queries(client, org) -> int:
    client.get(org_url("app_list", org))  # warm-up (current org, caches): count a later one
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(org_url("app_list", org)).status_code == 200
    return len(ctx.captured_queries)


def test_the_app_list_query_count_does_not_grow_with_the_number_of_apps(owner_client, org):
    OrderFactory(app=AppFactory(organization=org))
    one = _list_queries(owner_client, org)
    for _ in range(29):
        OrderFactory(app=AppFactory(organization=org))
    assert _list_queries(owner_client, org) == one


# --- create -------------------------------------------------------------------------------------


def _create_data(**overrides):
    data = {
        "name": "chat-prod",
        "product_name": "Chat",
        "description": "Our chat",
        "data_center": DataCenter.objects.get(code="fra2").pk,
    }
    data.update(overrides)
    return data


def test_a_developer_creates_an_app_and_lands_on_its_overview(member_client, org):
    response = member_client(Role.DEVELOPER).post(org_url("app_create", org), _create_data(), follow=True)
    app = App.objects.get(organization=org, name="chat-prod")
    assert response.redirect_chain[-1][0] == app_url("app_detail", app)
    html = response.content.decode()
    assert "App acme#chat-prod created on the Free plan." in html
    assert "msync-api-71.easemob.com" in html


def test_the_create_form_lists_the_data_centers_with_their_hosts(owner_client, org):
    html = owner_client.get(org_url("app_create", org)).content.decode()
    for host in ["a1.easemob.com", "a1-vip6.easemob.com", "a1-sgp.easemob.com", "a71.easemob.com", "a41.easemob.com"]:
        assert host in html


def test_an_invalid_appname_is_a_form_error_and_nothing_is_saved(owner_client, org):
    response = owner_client.post(org_url("app_create", org), _create_data(name="Chat_Prod"))
    assert response.status_code == 200
    assert "lower-case letters, digits" in response.content.decode()
    assert not App.objects.exists()


def test_a_duplicate_appname_is_a_form_error(owner_client, org):
    AppFactory(organization=org, name="chat-prod")
    response = owner_client.post(org_url("app_create", org), _create_data())
    assert "already exists in your organization" in response.content.decode()
    assert App.objects.filter(organization=org).count() == 1


def test_creating_beyond_the_limit_shows_the_limit_message(owner_client, org):
    catalog = CatalogSettings.load()
    catalog.app_limit = 1
    catalog.save()
    AppFactory(organization=org)
    assert "already has 1 apps" in owner_client.get(org_url("app_create", org)).content.decode()
    response = owner_client.post(org_url("app_create", org), _create_data())
    assert response.status_code == 200
    assert "already has 1 apps" in response.content.decode()
    assert App.objects.filter(organization=org).count() == 1


def test_a_new_app_limit_shows_on_the_next_page_though_the_pages_read_it_from_the_cache(owner_client, org):
    AppFactory(organization=org)
    limit = CatalogSettings.load().app_limit
    assert f"1 of {limit} apps used" in owner_client.get(org_url("app_list", org)).content.decode()
    catalog = CatalogSettings.load()
    catalog.app_limit = 3
    catalog.save()  # the admin's save starts a new catalog generation
    assert "1 of 3 apps used" in owner_client.get(org_url("app_list", org)).content.decode()


def test_finance_may_not_create_an_app(member_client, org):
    client = member_client(Role.FINANCE)
    assert client.get(org_url("app_create", org)).status_code == 403
    assert client.post(org_url("app_create", org), _create_data()).status_code == 403
    assert not App.objects.exists()


# --- overview -----------------------------------------------------------------------------------


def test_the_overview_shows_every_value_with_a_copy_button_and_masks_the_secret(owner_client, org):
    app = AppFactory(organization=org, name="chat-prod", data_center=DataCenter.objects.get(code="usva1"))
    html = owner_client.get(app_url("app_detail", app)).content.decode()
    for value in ["acme", "chat-prod", "acme#chat-prod", app.client_id, "a41.easemob.com", "msync-api-41.easemob.com"]:
        assert f'data-copy="{value}"' in html
    assert "Virginia" in html and "Free" in html
    # in the console's time zone (Asia/Shanghai): the UTC date differs from 16:00 to 24:00 UTC
    assert timezone.localtime(app.created_at).strftime("%Y-%m-%d %H:%M") in html
    assert app.client_secret not in html
    assert "••••••••" + app.client_secret[-4:] in html
    assert "<!-- entitlements -->" in html


def test_finance_sees_the_overview_read_only(member_client, org):
    app = AppFactory(organization=org)
    html = member_client(Role.FINANCE).get(app_url("app_detail", app)).content.decode()
    assert app.app_key in html
    assert app_url("secret_reveal", app) not in html and app_url("secret_rotate", app) not in html
    assert app_url("app_edit", app) not in html


def test_revealing_without_a_recent_check_asks_to_confirm_and_returns_to_the_app(owner_client, org):
    app = AppFactory(organization=org)
    detail = app_url("app_detail", app)
    response = owner_client.post(app_url("secret_reveal", app), headers={"referer": f"http://testserver{detail}"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:reauth')}?{urlencode({'next': detail})}"
    assert not AuditEntry.objects.filter(action="app.secret_revealed").exists()
    wrong = owner_client.post(reverse("accounts:reauth"), {"password": "wrong", "next": detail})
    assert "The password is not correct." in wrong.content.decode()
    confirmed = owner_client.post(reverse("accounts:reauth"), {"password": PASSWORD, "next": detail})
    assert confirmed["Location"] == detail
    html = owner_client.post(app_url("secret_reveal", app)).content.decode()
    assert f'data-copy="{app.client_secret}"' in html


def test_revealing_after_a_recent_check_shows_the_secret_once_and_audits_it(owner_client, owner, org):
    app = AppFactory(organization=org)
    confirm_identity(owner_client)
    response = owner_client.post(app_url("secret_reveal", app))
    assert f'data-copy="{app.client_secret}"' in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    assert AuditEntry.objects.filter(app=app, action="app.secret_revealed", actor=owner).count() == 1
    assert app.client_secret not in owner_client.get(app_url("app_detail", app)).content.decode()


def test_a_check_older_than_ten_minutes_no_longer_reveals(owner_client, org):
    app = AppFactory(organization=org)
    confirm_identity(owner_client)
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        response = owner_client.post(app_url("secret_reveal", app))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))
    assert not AuditEntry.objects.filter(action="app.secret_revealed").exists()


def test_reveal_only_answers_post(owner_client, org):
    app = AppFactory(organization=org)
    assert owner_client.get(app_url("secret_reveal", app)).status_code == 405


def test_rotating_needs_the_confirmation_box(owner_client, org):
    app = AppFactory(organization=org)
    confirm_identity(owner_client)
    response = owner_client.post(app_url("secret_rotate", app), {})
    assert "Tick the box to confirm the rotation." in response.content.decode()
    assert App.objects.get(pk=app.pk).client_secret == app.client_secret


def test_rotating_without_a_recent_check_changes_nothing(owner_client, org):
    app = AppFactory(organization=org)
    response = owner_client.post(app_url("secret_rotate", app), {"confirm": "on"})
    assert response["Location"].startswith(reverse("accounts:reauth"))
    assert App.objects.get(pk=app.pk).client_secret == app.client_secret


def test_rotating_replaces_the_secret_and_says_so(owner_client, org):
    app = AppFactory(organization=org)
    confirm_identity(owner_client)
    response = owner_client.post(app_url("secret_rotate", app), {"confirm": "on"}, follow=True)
    assert "the previous one no longer works" in response.content.decode()
    fresh = App.objects.get(pk=app.pk)
    assert fresh.client_secret != app.client_secret
    assert fresh.client_id == app.client_id
    assert AuditEntry.objects.filter(app=app, action="app.secret_rotated").exists()


@pytest.mark.parametrize("url_name", ["secret_reveal", "secret_rotate"])
def test_finance_may_not_reveal_or_rotate(member_client, org, url_name):
    app = AppFactory(organization=org)
    client = confirm_identity(member_client(Role.FINANCE))
    response = client.post(app_url(url_name, app), {"confirm": "on"})
    assert response.status_code == 403
    assert App.objects.get(pk=app.pk).client_secret == app.client_secret


# --- edit ---------------------------------------------------------------------------------------


def test_a_crafted_edit_post_cannot_change_appname_or_data_center(owner_client, org):
    app = AppFactory(organization=org, name="chat-prod", data_center=DataCenter.objects.get(code="bj1"))
    response = owner_client.post(
        app_url("app_edit", app),
        {
            "product_name": "Chat Pro",
            "description": "New text",
            "name": "hijacked",
            "data_center": DataCenter.objects.get(code="usva1").pk,
            "client_id": "YXA6forged",
        },
    )
    assert response.status_code == 302
    fresh = App.objects.get(pk=app.pk)
    assert (fresh.name, fresh.data_center.code, fresh.client_id) == ("chat-prod", "bj1", app.client_id)
    assert (fresh.product_name, fresh.description) == ("Chat Pro", "New text")


def test_the_edit_form_has_no_appname_or_data_center_field(owner_client, org):
    app = AppFactory(organization=org)
    form = owner_client.get(app_url("app_edit", app)).context["form"]
    assert set(form.fields) == {"product_name", "description"}


def test_a_too_long_product_name_is_a_form_error(owner_client, org):
    app = AppFactory(organization=org)
    response = owner_client.post(app_url("app_edit", app), {"product_name": "x" * 33, "description": ""})
    assert response.status_code == 200
    assert "at most 32 characters" in response.content.decode()


# --- tenancy ------------------------------------------------------------------------------------

APP_URLS = [
    ("get", "app_detail"),
    ("get", "app_edit"),
    ("post", "app_edit"),
    ("post", "secret_reveal"),
    ("post", "secret_rotate"),
]


@pytest.mark.parametrize(("method", "url_name"), APP_URLS)
def test_every_app_url_answers_404_to_another_org(other_org_client, org, method, url_name):
    app = AppFactory(organization=org)
    data = {"password": PASSWORD, "confirm": "on", "product_name": "Mine", "description": ""}
    response = getattr(other_org_client, method)(app_url(url_name, app), data)
    assert response.status_code == 404
    assert App.objects.get(pk=app.pk).client_secret == app.client_secret
    assert App.objects.get(pk=app.pk).product_name == app.product_name


@pytest.mark.parametrize(("method", "url_name"), APP_URLS)
def test_every_app_url_answers_404_for_a_missing_app(owner_client, org, method, url_name):
    url = reverse(f"applications:{url_name}", kwargs={"org_name": org.name, "app_name": "missing"})
    assert getattr(owner_client, method)(url).status_code == 404


@pytest.mark.parametrize("url_name", ["app_list", "app_create"])
def test_org_app_pages_answer_404_to_another_org(other_org_client, org, url_name):
    assert other_org_client.get(org_url(url_name, org)).status_code == 404
    assert other_org_client.post(org_url("app_create", org), _create_data()).status_code == 404
    assert not App.objects.filter(organization=org).exists()


def test_an_app_of_the_other_org_with_the_same_name_is_not_reachable_through_my_org(owner_client, org, other_org):
    AppFactory(organization=other_org, name="shared-name")
    url = reverse("applications:app_detail", kwargs={"org_name": org.name, "app_name": "shared-name"})
    assert owner_client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    app = AppFactory(organization=org)
    for url in [org_url("app_list", org), org_url("app_create", org), app_url("app_detail", app)]:
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_data_center_names_follow_the_seed_in_both_languages():
    from apps.applications.models import DataCenter

    names = list(DataCenter.objects.order_by("sort_order").values_list("code", "name_zh", "name_en"))
    assert names == [
        ("bj1", "国内1区", "Beijing 1"), ("bj-vip6", "北京 Vip6 区", "Beijing VIP6"),
        ("sgp1", "新加坡1区", "Singapore 1"), ("fra2", "德国2区", "Frankfurt"), ("usva1", "美东1区", "Virginia"),
    ]
