"""The usage pages (SPEC §12): an app's last 30 business days from the metering's UsageDay rows (missing days
are zeros) as charts with a table and a CSV export, its quota meters against the gate's limits, today's
numbers on the app overview, the current use on the feature overview, the organization's sums; roles, other
orgs, and query counts that do not grow with the rows."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.im.models import ImMessage, UsageDay
from apps.im.services import groups, users
from apps.im.services.usage import usage_rollup
from tests.applications.factories import AppFactory
from tests.im.factories import UsageDayFactory
from tests.orders.factories import app_on_plan

pytestmark = pytest.mark.django_db

# 2026-11-30 10:00 in Beijing: the business day is the 30th; the window runs from 2026-11-01.
NOW = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def app(org):
    return AppFactory(organization=org, name="chat")


def url(name: str, app=None, org=None) -> str:
    if app is None:
        return reverse(f"im_console:{name}", kwargs={"org_name": org.name})
    return reverse(f"im_console:{name}", kwargs={"org_name": app.organization.name, "app_name": app.name})


def test_usage_page_shows_the_last_30_days_with_missing_days_as_zero(owner_client, app, other_org):
    UsageDayFactory(app=app, day=TODAY, calls_2xx=1200, calls_4xx=30, calls_429=7, calls_5xx=1, messages=450,
                    active_users=38, peak_calls_per_second=12, registered_users=40)
    UsageDayFactory(app=app, day=TODAY - dt.timedelta(days=3), calls_2xx=800, messages=200, active_users=20)
    UsageDayFactory(app=app, day=TODAY - dt.timedelta(days=30), calls_2xx=99_999)  # outside the window
    UsageDayFactory(app=AppFactory(organization=other_org, name="chat"), day=TODAY, calls_2xx=5_555_555)
    page = owner_client.get(url("usage", app))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [row.day for row in rows] == [TODAY - dt.timedelta(days=29 - i) for i in range(30)]
    assert [row.calls for row in rows].count(0) == 28
    assert (rows[-1].calls, rows[-1].calls_429, rows[-1].messages, rows[-1].active_users) == (1238, 7, 450, 38)
    assert rows[-4].calls == 800
    html = page.content.decode()
    assert 'id="today-calls">1,238<' in html and 'id="today-dau">38<' in html
    assert 'id="total-calls">2,038<' in html and 'id="total-429">7<' in html
    assert "5,555,555" not in html and "99,999" not in html
    # three charts, each an SVG with a title and a description, and the same numbers in a table
    assert html.count('role="img"') == 3 and html.count("<desc id=") == 3
    assert "REST API calls per day" in html and "Messages sent per day" in html and "Daily active users (DAU)" in html
    assert '<th scope="row" class="fw-normal mono">2026-11-27</th><td class="text-end mono">800</td>' in html
    assert '<th scope="row" class="fw-normal mono">2026-11-01</th><td class="text-end mono">0</td>' in html


def test_the_remembered_charts_follow_new_usage_and_the_language(owner_client, app):
    """The charts' markup is remembered per worker by (language, page, rows): a roll-up's new numbers and the
    other language are drawn at once, never an earlier drawing."""
    day = UsageDayFactory(app=app, day=TODAY, calls_2xx=1200, messages=450, active_users=38)
    first = owner_client.get(url("usage", app)).content.decode()
    assert f"{TODAY:%Y-%m-%d} · Messages: 450<" in first
    UsageDay.objects.filter(pk=day.pk).update(messages=451)
    second = owner_client.get(url("usage", app)).content.decode()
    assert f"{TODAY:%Y-%m-%d} · Messages: 451<" in second and "Messages: 450<" not in second
    chinese = owner_client.get(url("usage", app), headers={"accept-language": "zh-hans"}).content.decode()
    assert "REST API calls per day" not in chinese and "Messages: 451" not in chinese
    assert f"{TODAY:%Y-%m-%d} · " in chinese and ": 451<" in chinese


def test_csv_has_every_day_and_every_column(owner_client, app):
    UsageDayFactory(app=app, day=TODAY, calls_2xx=10, calls_4xx=2, calls_429=1, calls_5xx=0, messages=5,
                    active_users=3, peak_calls_per_second=4, registered_users=9)
    response = owner_client.get(url("usage_csv", app))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="acme-chat-usage-20261101-20261130.csv"'
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert table[0] == ["Date", "REST API calls", "Successful (2xx)", "Refused (4xx)", "Rate-limited (429)",
                        "Failed (5xx)", "Messages", "Daily active users", "Peak calls/s", "Registered users"]
    assert len(table) == 31
    assert table[1] == ["2026-11-01", "0", "0", "0", "0", "0", "0", "0", "0", "0"]
    assert table[-1] == ["2026-11-30", "13", "10", "2", "1", "0", "5", "3", "4", "9"]


def test_csv_headers_follow_the_language(member_client, app):
    client = member_client(Role.OWNER)
    body = b"".join(client.get(url("usage_csv", app), headers={"accept-language": "zh-hans"}).streaming_content)
    assert "日期" in body.decode("utf-8").splitlines()[0]


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.DEVELOPER])
def test_app_usage_is_for_the_roles_that_work_on_the_app(member_client, app, role):
    client = member_client(role)
    assert client.get(url("usage", app)).status_code == 200
    assert client.get(url("usage_csv", app)).status_code == 200
    assert url("usage", app).encode() in client.get(reverse(
        "applications:app_detail", kwargs={"org_name": "acme", "app_name": "chat"})).content


def test_finance_sees_the_org_usage_page_but_not_an_apps_usage_page(member_client, app, org):
    UsageDayFactory(app=app, day=TODAY, calls_2xx=70)
    finance = member_client(Role.FINANCE)
    assert finance.get(url("usage", app)).status_code == 403
    assert finance.get(url("usage_csv", app)).status_code == 403
    org_page = finance.get(url("org_usage", org=org))
    assert org_page.status_code == 200
    html = org_page.content.decode()
    assert url("usage", app) not in html  # no link to a page finance may not open
    assert '<tr data-app="chat">' in html
    overview = finance.get(reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": "chat"}))
    assert b'id="today-calls">70<' in overview.content and url("usage", app).encode() not in overview.content
    assert b">Usage<" not in overview.content and b"Usage of all apps" in overview.content  # the menus


def test_another_orgs_app_answers_404(other_org_client, app, other_org):
    assert other_org_client.get(url("usage", app)).status_code == 404
    assert other_org_client.get(url("usage_csv", app)).status_code == 404
    assert other_org_client.get(url("usage", AppFactory(organization=other_org, name="x"))).status_code == 200


def test_org_usage_sums_the_apps_per_day_and_lists_each_app(owner_client, org, other_org):
    a, b = AppFactory(organization=org, name="alpha"), AppFactory(organization=org, name="beta")
    AppFactory(organization=org, name="idle")
    UsageDayFactory(app=a, day=TODAY, calls_2xx=100, calls_429=5, messages=10, active_users=4)
    UsageDayFactory(app=b, day=TODAY, calls_2xx=50, calls_4xx=2, messages=1, active_users=2)
    UsageDayFactory(app=b, day=TODAY - dt.timedelta(days=1), calls_2xx=300, active_users=9)
    UsageDayFactory(app=AppFactory(organization=other_org, name="alpha"), day=TODAY, calls_2xx=777_777)
    usage_rollup()  # the organization's sums are the roll-up's (every minute)
    page = owner_client.get(url("org_usage", org=org))
    rows = page.context["rows"]
    assert len(rows) == 30
    assert (rows[-1].calls, rows[-1].calls_429, rows[-1].messages, rows[-1].active_users) == (157, 5, 11, 6)
    assert rows[-2].calls == 300
    assert [(x.app.name, x.totals.calls, x.totals.calls_429, x.totals.messages, x.totals.active_users)
            for x in page.context["by_app"]] == [
        ("alpha", 105, 5, 10, 4), ("beta", 352, 0, 1, 9), ("idle", 0, 0, 0, 0)]
    assert b"777,777" not in page.content
    assert url("usage", a).encode() in page.content


def _fill_app(app):
    users.users_register(app=app, entries=[{"username": f"u{i}", "password": "x"} for i in range(5)])
    for name, owner, members in (("big", "u0", ["u1", "u2", "u3"]), ("small", "u1", ["u2"]), ("solo", "u2", [])):
        groups.group_create(app=app, data={"groupname": name, "owner": owner, "members": members,
                                           "maxusers": 50, "public": True})
    ImMessage.objects.create(app=app, msg_id=f"{app.pk}1", from_user="u0", to="u1", chat_type="chat", msg_type="txt",
                             body={"msg": "old"}, sent_at=NOW - dt.timedelta(days=2, hours=3))
    ImMessage.objects.create(app=app, msg_id=f"{app.pk}2", from_user="u0", to="u1", chat_type="chat", msg_type="txt",
                             body={"msg": "new"}, sent_at=NOW)
    UsageDayFactory(app=app, day=TODAY, calls_2xx=10, peak_calls_per_second=100)


def test_quota_meters_show_current_use_against_the_gates_limits(owner_client, app, other_org):
    _fill_app(app)
    _fill_app(AppFactory(organization=other_org, name="chat"))  # not counted
    page = owner_client.get(url("usage", app))
    meters = {row["meter"].code: row["meter"] for row in page.context["meters"]}
    # Free: 100 users, 100 members per group, 100 groups per user, 3 days of storage, 100 calls/s
    assert {code: (m.used, m.limit) for code, m in meters.items()} == {
        "im_users": (5, 100), "group_members": (4, 100), "user_groups": (3, 100),
        "message_storage": (2, 3), "rest_rate": (100, 100)}
    assert meters["rest_rate"].full and not meters["im_users"].full
    html = page.content.decode()
    assert 'id="meter-im_users" data-used="5" data-limit="100"' in html
    assert "5 / 100" in html and "2 / 3 days" in html and "2 messages stored" in html
    assert "At the limit" in html  # the calls/s peak reached the limit


def test_unlimited_quotas_show_unlimited_and_no_bar(owner_client, app):
    app_on_plan(app, "flagship")
    _fill_app(app)
    page = owner_client.get(url("usage", app))
    meters = {row["meter"].code: row["meter"] for row in page.context["meters"]}
    assert meters["user_groups"].unlimited and meters["user_groups"].percent == 0
    assert not meters["group_members"].unlimited and meters["group_members"].limit == 3000
    html = page.content.decode()
    assert 'id="meter-user_groups" data-used="3" data-limit="unlimited"' in html
    assert "3 / Unlimited" in html


def test_app_overview_shows_todays_numbers_and_links_to_the_usage_page(owner_client, app):
    UsageDayFactory(app=app, day=TODAY, calls_2xx=2000, calls_429=34, messages=1500, active_users=120)
    UsageDayFactory(app=app, day=TODAY - dt.timedelta(days=1), calls_2xx=9)
    html = owner_client.get(reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": "chat"}))
    html = html.content.decode()
    assert 'id="today-calls">2,034<' in html and 'id="today-messages">1,500<' in html
    assert 'id="today-dau">120<' in html and url("usage", app) in html


def test_feature_overview_quota_rows_show_current_use_next_to_the_limit(owner_client, app):
    _fill_app(app)
    page = owner_client.get(reverse("features:overview", kwargs={"org_name": "acme", "app_name": "chat"}))
    used = {row.feature.code: (row.used, row.value) for row in page.context["overview"].quotas}
    assert used["im_users"] == (5, 100) and used["group_members"] == (4, 100)
    assert used["message_storage"] == (2, 3) and used["rest_rate"] == (100, 100)
    assert b'data-used="5">5 / 100' in page.content


def _bulk(app, *, users_count: int, days: int):
    from apps.im.models import ImGroup, ImGroupMember, ImUser

    people = ImUser.objects.bulk_create(ImUser(app=app, username=f"bulk{i}", password="x")
                                        for i in range(users_count))
    group_rows = ImGroup.objects.bulk_create(ImGroup(app=app, group_id=f"9{i:014d}", name=f"g{i}", maxusers=500,
                                                     owner=people[i]) for i in range(min(users_count, 20)))
    ImGroupMember.objects.bulk_create(ImGroupMember(group=g, user=u) for g in group_rows for u in people[:25])
    UsageDay.objects.bulk_create(UsageDay(app=app, day=TODAY - dt.timedelta(days=d), calls_2xx=d) for d in range(days))


def test_query_counts_do_not_grow_with_rows(owner_client, org):
    few, many = AppFactory(organization=org, name="few"), AppFactory(organization=org, name="many")
    _bulk(few, users_count=1, days=1)
    _bulk(many, users_count=300, days=30)
    for extra in range(30):
        AppFactory(organization=org, name=f"extra{extra}")
    pages = [("usage", {"app_name": "{app}"}), ("usage_csv", {"app_name": "{app}"})]
    counts = {}
    for target in (few, many):
        for name, _kwargs in pages:
            link = url(name, target)
            owner_client.get(link)
            with CaptureQueriesContext(connection) as ctx:
                response = owner_client.get(link)
                if name == "usage_csv":
                    b"".join(response.streaming_content)
            counts[(name, target.name)] = len(ctx)
    assert counts[("usage", "few")] == counts[("usage", "many")] <= 10
    assert counts[("usage_csv", "few")] == counts[("usage_csv", "many")] <= 10
    owner_client.get(url("org_usage", org=org))
    with CaptureQueriesContext(connection) as ctx:
        owner_client.get(url("org_usage", org=org))
    assert len(ctx) <= 10
