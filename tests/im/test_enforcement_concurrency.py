"""Caps and the calls/s limit under parallel REST calls on PostgreSQL (issue 15).

Each call goes through the REST URL tree with Django's test client, each thread on its own database
connection (tests/concurrency.run_together). PostgreSQL allows 100 connections shared by everyone on the
machine, so "200 parallel registrations" are 50 threads released together, each registering 4 users one
after another."""

import json
import math
import time

import pytest
from django.test import Client

from apps.im import appcache, ratelimit
from apps.im.models import ImGroupMember, ImMessage, ImUser, UserCounter
from apps.plans.models import Plan, PlanFeature
from apps.plans.selectors import forget_catalog
from tests.applications.factories import AppFactory
from tests.concurrency import run_together
from tests.orders.factories import app_on_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 50


@pytest.fixture(autouse=True)
def fresh_limiter(settings):
    settings.REDIS_URL = ""
    ratelimit.local_limiter.clear()
    yield
    ratelimit.local_limiter.clear()


@pytest.fixture(autouse=True)
def generous_rate():
    """Plans allow 100 calls/s: the cap tests below make more, so the limit is lifted for them (the rate
    test sets its own)."""
    PlanFeature.objects.filter(feature__code="rest_rate").update(quota=None)
    appcache.forget_all()


class Api:
    def __init__(self, app):
        self.app = app
        self.root = f"/rest/{app.organization.name}/{app.name}"
        response = Client().post(f"{self.root}/token", {
            "grant_type": "client_credentials", "client_id": app.client_id, "client_secret": app.client_secret,
        }, content_type="application/json")
        assert response.status_code == 200, response.content
        self.token = response.json()["access_token"]

    def post(self, path, body=None):
        return Client().post(f"{self.root}{path}", json.dumps(body) if body is not None else "",
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {self.token}")


def in_threads(calls_per_thread):
    """Run THREADS threads at once, each making its list of calls in turn; all responses, flattened."""
    results = run_together(*[lambda calls=calls: [call() for call in calls] for calls in calls_per_thread],
                           timeout=120)
    flat = []
    for result in results:
        assert not isinstance(result, Exception), result
        flat.extend(result)
    return flat


def test_200_parallel_registrations_on_a_free_app_make_exactly_100_users():
    app = AppFactory()  # Free: 100 registered users
    api = Api(app)
    names = [f"user{i:03d}" for i in range(200)]
    responses = in_threads([
        [lambda name=name: api.post("/users", {"username": name, "password": "secret1"})
         for name in names[index::THREADS]]
        for index in range(THREADS)
    ])
    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(200) == 100 and statuses.count(429) == 100, statuses
    refused = [r.json() for r in responses if r.status_code == 429]
    assert {body["error"] for body in refused} == {"resource_limited"}
    assert ImUser.objects.filter(app=app).count() == 100
    assert UserCounter.objects.get(app=app).registered == 100  # the pages' count, kept under the same lock


def test_parallel_joins_of_a_group_stop_exactly_at_its_cap():
    app = AppFactory()
    app_on_plan(app, "pro")
    api = Api(app)
    maxusers = 20
    users = [f"member{i:02d}" for i in range(THREADS)]
    assert api.post("/users", [{"username": name, "password": "secret1"} for name in ["owner", *users[:49]]]
                    ).status_code == 200
    assert api.post("/users", [{"username": users[49], "password": "secret1"}]).status_code == 200
    created = api.post("/chatgroups", {"groupname": "cap", "description": "", "public": True,
                                       "maxusers": maxusers, "owner": "owner"})
    assert created.status_code == 200, created.content
    group_id = created.json()["data"]["groupid"]
    responses = in_threads([[lambda name=name: api.post(f"/chatgroups/{group_id}/users/{name}")] for name in users])
    joined = [r for r in responses if r.status_code == 200]
    members = ImGroupMember.objects.filter(group__group_id=group_id).count()
    assert members == maxusers, (members, sorted(r.status_code for r in responses))
    assert len(joined) == maxusers - 1  # the owner holds the first place
    assert all(400 <= r.status_code < 500 for r in responses if r.status_code != 200)


@pytest.mark.parametrize("backend", ["in-process", pytest.param("redis", marks=pytest.mark.redis)])
def test_parallel_sends_are_not_accepted_beyond_the_plans_calls_per_second(backend, settings):
    if backend == "redis":
        import redis

        from tests.im.conftest import REDIS_URL

        settings.REDIS_URL = REDIS_URL
        redis.Redis.from_url(settings.REDIS_URL).ping()
    app = AppFactory()
    api = Api(app)
    assert api.post("/users", [{"username": "alice", "password": "secret1"},
                               {"username": "bob", "password": "secret1"}]).status_code == 200
    limit = 20
    PlanFeature.objects.filter(plan=Plan.objects.get(code="free"), feature__code="rest_rate").update(quota=limit)
    # A catalog edit by update() sends no signal: the cached entitlements and catalog rows expire later.
    appcache.forget_all()
    forget_catalog()
    body = {"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}}
    time.sleep(1.0 - time.time() % 1.0)  # start at the beginning of a window
    started = time.time()
    responses = in_threads([[lambda: api.post("/messages/users", body)] * 3 for _ in range(THREADS)])
    finished = time.time()
    accepted = [r for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code == 429]
    assert len(accepted) + len(refused) == len(responses)
    windows = math.floor(finished) - math.floor(started) + 1  # wall-clock seconds the burst touched
    assert limit <= len(accepted) <= limit * windows, (len(accepted), windows)
    assert all(int(r["Retry-After"]) >= 1 for r in refused)
    assert ImMessage.objects.filter(app=app).count() == len(accepted)


def test_parallel_joins_of_one_user_stop_exactly_at_its_groups_per_user_cap():
    app = AppFactory()
    cap = 10
    api = Api(app)
    assert api.post("/users", [{"username": name, "password": "secret1"} for name in ("owner", "joiner")]
                    ).status_code == 200
    group_ids = []
    for i in range(THREADS):
        created = api.post("/chatgroups", {"groupname": f"g{i}", "public": True, "owner": "owner"})
        assert created.status_code == 200, created.content
        group_ids.append(created.json()["data"]["groupid"])
    PlanFeature.objects.filter(feature__code="user_groups").update(quota=cap)  # the owner is in all 50: no matter
    appcache.forget_all()
    forget_catalog()
    responses = in_threads([[lambda group_id=group_id: api.post(f"/chatgroups/{group_id}/users/joiner")]
                            for group_id in group_ids])
    assert sorted(r.status_code for r in responses) == [200] * cap + [403] * (THREADS - cap)
    joiner = ImUser.objects.get(app=app, username="joiner")
    assert joiner.group_count == ImGroupMember.objects.filter(user=joiner).count() == cap


def test_parallel_joins_removals_and_deletions_keep_every_counter_exact():
    """Joins, removals, group deletions and user deletions that touch the same groups and users at once: none
    fails on a lock (every service locks groups before users, each in id order), and every counter equals the
    memberships counted afterwards."""
    from django.db.models import Count

    from apps.im.models import ImGroup

    app = AppFactory()
    app_on_plan(app, "pro")
    api = Api(app)
    names = [f"u{i:02d}" for i in range(40)]
    assert api.post("/users", [{"username": name, "password": "secret1"} for name in names]).status_code == 200
    group_ids = []
    for i in range(10):
        created = api.post("/chatgroups", {"groupname": f"g{i}", "public": True, "owner": names[i],
                                           "members": names[10 + i: 20 + i]})
        assert created.status_code == 200, created.content
        group_ids.append(created.json()["data"]["groupid"])

    def delete(path):
        return Client().delete(f"{api.root}{path}", HTTP_AUTHORIZATION=f"Bearer {api.token}")

    calls = []
    for i in range(THREADS):
        group_id, name = group_ids[i % 10], names[(7 * i) % 40]
        kind = i % 5
        if kind == 0:
            calls.append([lambda g=group_id, n=name: api.post(f"/chatgroups/{g}/users", {"usernames": [n, "u39"]})])
        elif kind == 1:
            calls.append([lambda g=group_id, n=name: delete(f"/chatgroups/{g}/users/{n}")])
        elif kind == 2:
            calls.append([lambda n=name: delete(f"/users/{n}")])
        elif kind == 3 and i < 20:
            calls.append([lambda g=group_id: delete(f"/chatgroups/{g}")])
        else:
            calls.append([lambda g=group_id, n=names[(3 * i) % 40]: api.post(f"/chatgroups/{g}/users/{n}")])
    responses = in_threads(calls)
    assert all(r.status_code < 500 for r in responses), sorted(r.status_code for r in responses)
    assert any(r.status_code == 200 for r in responses)
    groups = ImGroup.objects.filter(app=app).annotate(n=Count("memberships"))
    users = ImUser.objects.filter(app=app).annotate(n=Count("group_memberships"))
    assert [(g.group_id, g.member_count, g.n) for g in groups if g.member_count != g.n] == []
    assert [(u.username, u.group_count, u.n) for u in users if u.group_count != u.n] == []
