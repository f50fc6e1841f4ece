import pytest
from django.urls import reverse

from console.celery import app as celery_app


@pytest.mark.django_db
def test_login_page_defaults_to_chinese_and_honours_accept_language(client):
    assert "登录" in client.get(reverse("accounts:login")).content.decode()
    english = client.get(reverse("accounts:login"), headers={"accept-language": "en"}).content.decode()
    assert "Log in to the console" in english


@pytest.mark.django_db
def test_language_switch_changes_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert "Log in to the console" in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("accounts:login")})
    assert "登录控制台" in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("accounts:login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()


def test_celery_app_registers_the_beat_schedule():
    schedule = celery_app.conf.beat_schedule
    assert schedule["activate-due-orders"]["task"] == "orders.tasks.activate_due_orders"
    assert schedule["activate-due-orders"]["schedule"] == 15.0
    assert schedule["bill-due-months"]["task"] == "billing.tasks.bill_due_months"
    assert celery_app.conf.timezone == "Asia/Shanghai"


@pytest.mark.django_db
def test_home_sends_a_signed_in_member_to_the_app_list_of_their_org(owner_client, org):
    response = owner_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:app_list", kwargs={"org_name": org.name})


def test_the_navigation_marks_the_section_of_a_sub_page_current(owner_client, org):
    from tests.applications.factories import AppFactory

    AppFactory(organization=org, name="chat")
    page = owner_client.get(f"/o/{org.name}/apps/chat/edit/").content.decode()
    current = [line for line in page.splitlines() if 'aria-current="page"' in line and "nav-link" in line]
    assert len(current) == 1 and ">Overview<" in current[0]
    page = owner_client.get(f"/o/{org.name}/apps/chat/features/callbacks/new/").content.decode()
    current = [line for line in page.splitlines() if 'aria-current="page"' in line and "nav-link" in line]
    assert len(current) == 1 and ">Callbacks<" in current[0]


def test_numbers_are_grouped_by_thousands_in_both_languages():
    from decimal import Decimal

    from django.utils import translation
    from django.utils.formats import number_format

    for language in ("en", "zh-hans"):
        with translation.override(language):
            assert number_format(Decimal("1234567.5"), 2, force_grouping=True) == "1,234,567.50"


def _sidebar(page) -> str:
    html = page.content.decode()
    start = html.index('<nav class="console-sidebar')
    return html[start:html.index("</nav>", start)]


def test_the_remembered_menu_follows_the_role_the_language_the_app_and_the_page(member_client, org):
    """The menu is remembered per process (console.navigation): each of what it depends on gives its own."""
    from apps.accounts.roles import Role
    from tests.applications.factories import AppFactory

    AppFactory(organization=org, name="chat")
    AppFactory(organization=org, name="live")
    owner, finance = member_client(Role.OWNER), member_client(Role.FINANCE)
    apps_url, bills_url = f"/o/{org.name}/apps/", f"/o/{org.name}/billing/bills/"
    first = _sidebar(owner.get(apps_url))
    assert ">Members<" in first and 'aria-current="page">Apps<' in first
    assert _sidebar(owner.get(apps_url)) == first  # remembered: the same markup
    assert ">Members<" not in _sidebar(finance.get(bills_url))  # finance manages no members
    assert 'aria-current="page">Bills<' in _sidebar(finance.get(bills_url))
    chinese = _sidebar(owner.get(apps_url, headers={"accept-language": "zh-hans"}))
    assert chinese != first and "成员" in chinese
    chat, live = (_sidebar(owner.get(f"/o/{org.name}/apps/{name}/")) for name in ("chat", "live"))
    assert f"/o/{org.name}/apps/chat/usage/" in chat and f"/o/{org.name}/apps/live/usage/" in live
    assert f"/o/{org.name}/apps/chat/usage/" not in live
