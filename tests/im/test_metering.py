"""Usage metering (issue 16, SPEC §12): REST calls by status class, messages, daily active users and the peak
calls/s of each app and business day, in Redis and rolled up into UsageDay rows, or written to the database
directly on the embedded default. Redis tests use the redis_url fixture of tests/im/conftest.py."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.models import F, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.im import appcache, metering, ratelimit
from apps.im.models import ActiveUserDay, OrgUsageDay, UsageDay
from apps.im.services import auth, users
from apps.im.services.usage import _redis_counts, usage_rollup
from apps.plans.models import PlanFeature
from console.timeutil import business_date, business_tz
from tests.applications.factories import AppFactory
from tests.concurrency import run_together

DAY = dt.date(2026, 3, 10)
NEXT_DAY = DAY + dt.timedelta(days=1)
# 23:59:50 in Shanghai: 1,000 calls 20 ms apart put 500 on each side of midnight, 50 in each second.
START = dt.datetime.combine(DAY, dt.time(23, 59, 50), tzinfo=business_tz())
STEP = dt.timedelta(milliseconds=20)
CALLS, USERS = 1000, 50
# Per business day: 500 calls, a quarter each of password tokens, sends, unknown users (404) and user reads.
EXPECTED_DAY = {"calls_2xx": 375, "calls_4xx": 125, "calls_429": 0, "calls_5xx": 0, "messages": 125,
                "active_users": 50, "peak_calls_per_second": 50}
ORG_FIGURES = ("calls_2xx", "calls_4xx", "calls_429", "calls_5xx", "messages", "active_users")


@pytest.fixture
def no_redis(settings):
    settings.REDIS_URL = ""


@pytest.fixture(autouse=True)
def _fresh_windows():
    ratelimit.local_limiter.clear()
    yield
    ratelimit.local_limiter.clear()


def _usage(app) -> dict:
    return {row.pop("day"): row for row in UsageDay.objects.filter(app=app).order_by("day").values(
        "day", *EXPECTED_DAY, "registered_users")}


def _thousand_calls_across_midnight(app, *, rollup_midway: bool = False) -> None:
    """1,000 REST calls through the URL tree, 20 ms apart on the clock, by 50 IM users, across the midnight
    between DAY and NEXT_DAY (Asia/Shanghai)."""
    names = [f"user{i:02d}" for i in range(USERS)]
    users.users_register(app=app, entries=[{"username": name, "password": "secret1"} for name in names])
    root = f"/rest/{app.organization.name}/{app.name}"
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        bearer = {"Authorization": "Bearer " + auth.token_for_client(
            app=app, client_id=app.client_id, client_secret=app.client_secret).access_token}
        for i in range(CALLS):
            clock.move_to(START + i * STEP)
            name = names[i % USERS]
            kind = i % 4
            if kind == 0:
                response = client.post(f"{root}/token", {"grant_type": "password", "username": name,
                                                          "password": "secret1"}, content_type="application/json")
            elif kind == 1:
                response = client.post(f"{root}/messages/users", {
                    "from": name, "to": [names[(i + 1) % USERS]], "type": "txt", "body": {"msg": f"hi {i}"},
                }, content_type="application/json", headers=bearer)
            elif kind == 2:
                response = client.get(f"{root}/users/nobody{i}", headers=bearer)
            else:
                response = client.get(f"{root}/users/{name}", headers=bearer)
            assert response.status_code == (404 if kind == 2 else 200), response.content
            if rollup_midway and i == CALLS // 4:
                usage_rollup()


def _org_sums(days) -> dict:
    """{(organization id, day): the six summed figures} recomputed from the apps' UsageDay rows."""
    rows = (UsageDay.objects.filter(day__in=days).values("app__organization_id", "day").order_by()
            .annotate(**{name: Sum(name) for name in ORG_FIGURES}))
    return {(row.pop("app__organization_id"), row.pop("day")): row for row in rows}


def _org_rows() -> dict:
    return {(row.pop("organization_id"), row.pop("day")): row
            for row in OrgUsageDay.objects.values("organization_id", "day", *ORG_FIGURES)}


def _assert_two_exact_days(app, *, registered_on_day: int) -> None:
    usage = _usage(app)
    assert list(usage) == [DAY, NEXT_DAY]
    assert usage[DAY] == {**EXPECTED_DAY, "registered_users": registered_on_day}
    assert usage[NEXT_DAY] == {**EXPECTED_DAY, "registered_users": USERS}
    expected = {name: EXPECTED_DAY[name] for name in ORG_FIGURES}
    assert _org_rows() == {(app.organization_id, DAY): expected, (app.organization_id, NEXT_DAY): expected}


@pytest.mark.django_db
def test_a_thousand_calls_land_in_the_right_two_days_on_the_database(no_redis):
    app = AppFactory()
    _thousand_calls_across_midnight(app, rollup_midway=True)
    with time_machine.travel(START + CALLS * STEP, tick=False):
        usage_rollup()
        usage_rollup()  # a second run changes nothing
    _assert_two_exact_days(app, registered_on_day=USERS)
    assert ActiveUserDay.objects.filter(app=app, day=DAY).count() == USERS


@pytest.mark.redis
@pytest.mark.django_db
def test_a_thousand_calls_land_in_the_right_two_days_through_redis_and_the_rollup(redis_url):
    app = AppFactory()
    _thousand_calls_across_midnight(app, rollup_midway=True)
    assert not ActiveUserDay.objects.exists()  # the request path wrote nothing: Redis counted
    _redis_counts(NEXT_DAY)  # a run that died after reading: nothing was deleted, the next run copies it all
    with time_machine.travel(START + CALLS * STEP, tick=False):
        usage_rollup()
        _assert_two_exact_days(app, registered_on_day=USERS)
        usage_rollup()  # rerun: the same rows
    _assert_two_exact_days(app, registered_on_day=USERS)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_concurrent_rollups_write_the_same_exact_rows(redis_url):
    app = AppFactory()
    _thousand_calls_across_midnight(app)
    with time_machine.travel(START + CALLS * STEP, tick=False):
        results = run_together(usage_rollup, usage_rollup, usage_rollup)
    assert not [result for result in results if isinstance(result, Exception)], results
    _assert_two_exact_days(app, registered_on_day=0)  # no run happened on DAY to see its registered users


@pytest.mark.redis
@pytest.mark.django_db
def test_the_rollup_never_lowers_a_figure_and_skips_deleted_apps(redis_url):
    app, gone = AppFactory(), AppFactory()
    UsageDay.objects.create(app=app, day=DAY, calls_2xx=900, messages=3)
    redis_url.hset(metering.usage_key(DAY, app.pk), mapping={"c2xx": 10, "messages": 7, "peak": 4})
    redis_url.hset(metering.usage_key(DAY, gone.pk), mapping={"c2xx": 1})
    redis_url.sadd(metering.apps_key(DAY), app.pk, gone.pk)
    gone.delete()
    usage_rollup(now=START)
    row = UsageDay.objects.get(app=app, day=DAY)
    assert (row.calls_2xx, row.messages, row.peak_calls_per_second) == (900, 7, 4)
    assert not UsageDay.objects.filter(app_id=gone.pk).exists()


@pytest.mark.django_db
def test_the_rollup_sums_each_organizations_apps_per_day_and_a_rerun_agrees(no_redis):
    first, second = AppFactory(), AppFactory()
    same_org = AppFactory(organization=first.organization)
    AppFactory(organization=second.organization)  # no usage
    for app, calls in ((first, 100), (second, 7), (same_org, 40)):
        for day in (DAY, NEXT_DAY):
            UsageDay.objects.create(app=app, day=day, calls_2xx=calls, calls_4xx=calls // 10, calls_429=1,
                                    calls_5xx=int(app == first), messages=calls * 2, active_users=calls // 5,
                                    peak_calls_per_second=9, registered_users=3)
    UsageDay.objects.create(app=first, day=DAY - dt.timedelta(days=5), calls_2xx=5)  # a day no run touches
    later = START + dt.timedelta(hours=12)  # NEXT_DAY noon: the run sums today and yesterday
    result = usage_rollup(now=later)
    assert result.org_rows == 4
    sums = _org_sums([DAY, NEXT_DAY])
    assert _org_rows() == sums and len(sums) == 4
    assert sums[(first.organization_id, NEXT_DAY)]["calls_2xx"] == 140
    # later in the day the metering raised an app's row: the next run raises the organization's, a rerun agrees
    UsageDay.objects.filter(app=same_org, day=NEXT_DAY).update(calls_2xx=F("calls_2xx") + 60, messages=999)
    usage_rollup(now=later)
    usage_rollup(now=later)
    assert _org_rows() == _org_sums([DAY, NEXT_DAY])
    assert _org_rows()[(first.organization_id, NEXT_DAY)]["calls_2xx"] == 200


@pytest.mark.redis
@pytest.mark.django_db
def test_the_request_path_writes_nothing_to_the_database_with_redis(redis_url):
    app = AppFactory()
    users.users_register(app=app, entries={"username": "alice", "password": "secret1"})
    token = auth.token_for_client(app=app, client_id=app.client_id, client_secret=app.client_secret).access_token
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/rest/{app.organization.name}/{app.name}/users/alice",
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    counted = redis_url.hgetall(metering.usage_key(business_date(), app.pk))
    assert int(counted[b"c2xx"]) == 1 and int(counted[b"peak"]) >= 1


@pytest.mark.redis
def test_token_send_404_and_429_land_in_their_status_classes_after_the_rollup(redis_url, admin, im_app):
    """Over a real socket: an app token, a registration, a user token, a send to two users, an unknown user
    (404), then the app's limit set to 0 calls/s: 429."""
    plan_rate = PlanFeature.objects.get(plan__code="free", feature__code="rest_rate")
    plan_rate.quota = None
    plan_rate.save()
    admin.register("alice", "bob", "carol")
    user = admin.post("/token", token=None, json={"grant_type": "password", "username": "Alice",
                                                  "password": "secret1"})
    assert user.status_code == 200
    sent = admin.post("/messages/users", json={"from": "alice", "to": ["bob", "carol"], "type": "txt",
                                                "body": {"msg": "hello"}})
    assert sent.status_code == 200
    assert admin.get("/users/ghost").status_code == 404
    plan_rate.quota = 0
    plan_rate.save()
    appcache.forget_all()
    assert admin.get("/users/alice").status_code == 429

    usage_rollup()
    totals = UsageDay.objects.filter(app=im_app).aggregate(
        **{column: Sum(column) for column in ("calls_2xx", "calls_4xx", "calls_429", "calls_5xx", "messages",
                                               "active_users", "registered_users")})
    assert totals == {"calls_2xx": 4, "calls_4xx": 1, "calls_429": 1, "calls_5xx": 0, "messages": 2,
                      "active_users": 1, "registered_users": 3}
    assert UsageDay.objects.get(app=im_app).peak_calls_per_second >= 1


def test_an_unreachable_redis_does_not_fail_a_rest_call(settings, monkeypatch, rest, im_app):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setattr(ratelimit.redis_counter, "_down_until", 0.0)
    users.users_register(app=im_app, entries={"username": "alice", "password": "secret1"})
    token = rest.post("/token", token=None, json={"grant_type": "password", "username": "alice",
                                                  "password": "secret1"})
    assert token.status_code == 200
    rest.token = token.json()["access_token"]
    assert rest.get("/users/alice").status_code == 200
    assert not UsageDay.objects.exists() and not ActiveUserDay.objects.exists()  # dropped, not half-written


@pytest.mark.django_db
def test_the_console_test_message_is_metered_at_once(no_redis, org, owner):
    from apps.im.services.console import console_test_message

    app = AppFactory(organization=org)
    users.users_register(app=app, entries=[{"username": "alice", "password": "secret1"},
                                           {"username": "bob", "password": "secret1"}])
    console_test_message(app=app, actor=owner, sender="alice", chat_type="chat", to="bob", text="hi")
    row = UsageDay.objects.get(app=app)
    assert (row.messages, row.active_users, row.calls) == (1, 1, 0)  # a message, not a REST call


@pytest.mark.parametrize(("status", "field"), [(200, "c2xx"), (201, "c2xx"), (400, "c4xx"), (401, "c4xx"),
                                               (404, "c4xx"), (405, "c4xx"), (413, "c4xx"), (429, "c429"),
                                               (500, "c5xx"), (503, "c5xx")])
def test_status_classes(status, field):
    assert metering.status_field(status) == field


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_calls_on_the_database_count_every_call_and_every_user(no_redis):
    """Without Redis each call upserts the day's row itself: 40 calls at once by 40 users, each committing on
    its own, leave 40 calls and 40 active users (the last count sees every user)."""
    app = AppFactory()
    moment = START - dt.timedelta(hours=1)

    def call(index):
        return lambda: metering.flush(metering.Batch(app_id=app.pk, status=200, messages=1,
                                                     usernames={f"user{index}"}, second_count=index + 1),
                                      now=moment)

    run_together(*[call(index) for index in range(40)])
    row = UsageDay.objects.get(app=app, day=DAY)
    assert (row.calls_2xx, row.messages, row.active_users, row.peak_calls_per_second) == (40, 40, 40, 40)
