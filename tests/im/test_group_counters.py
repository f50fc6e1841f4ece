"""Each group's member count and each IM user's group count are kept by the services that change memberships
(create, join, remove, group deletion, user deletion with the groups it owns): after a fixed pseudo-random
sequence of those operations, accepted and refused ones, through the services and through the REST API, every
counter equals the memberships counted again, and the usage page's largest group and busiest user follow."""

import random
from collections import Counter

import pytest
from django.db.models import Count

from apps.im import appcache
from apps.im.errors import ImError
from apps.im.models import ImGroup, ImGroupMember, ImUser
from apps.im.services import groups, users
from apps.im.usage_selectors import app_quota_use, app_usage_today
from apps.plans.models import PlanFeature
from apps.plans.selectors import forget_catalog
from tests.applications.factories import AppFactory

USER_GROUPS_CAP = 4  # small, so that the sequence runs into the groups-per-user cap
OPERATIONS = {"register": 1, "create": 2, "add": 3, "remove": 2, "delete_group": 1, "delete_user": 1}


@pytest.fixture
def small_user_groups_cap():
    PlanFeature.objects.filter(plan__code="free", feature__code="user_groups").update(quota=USER_GROUPS_CAP)
    appcache.forget_all()
    forget_catalog()
    yield
    appcache.forget_all()
    forget_catalog()


def _miscounted(app) -> list[tuple]:
    """(name, stored counter, memberships counted) of every group and user whose counter is off."""
    group_rows = ImGroup.objects.filter(app=app).annotate(n=Count("memberships")).values_list(
        "group_id", "member_count", "n")
    user_rows = ImUser.objects.filter(app=app).annotate(n=Count("group_memberships")).values_list(
        "username", "group_count", "n")
    return [row for row in [*group_rows, *user_rows] if row[1] != row[2]]


class ServiceCalls:
    def __init__(self, app):
        self.app = app

    def _accepted(self, call) -> bool:
        try:
            call()
        except ImError:
            return False
        return True

    def register(self, name):
        return self._accepted(lambda: users.users_register(app=self.app, entries={"username": name,
                                                                                   "password": "secret1"}))

    def create(self, owner, members, maxusers):
        return self._accepted(lambda: groups.group_create(app=self.app, data={
            "groupname": "g", "public": True, "owner": owner, "members": members, "maxusers": maxusers}))

    def add(self, group_id, names):
        return self._accepted(lambda: groups.group_members_add(app=self.app, group_id=group_id, usernames=names))

    def remove(self, group_id, name):
        return self._accepted(lambda: groups.group_member_remove(app=self.app, group_id=group_id, username=name))

    def delete_group(self, group_id):
        return self._accepted(lambda: groups.group_delete(app=self.app, group_id=group_id))

    def delete_user(self, name):
        return self._accepted(lambda: users.user_delete(app=self.app, username=name))


class RestCalls:
    def __init__(self, api):
        self.api = api

    @staticmethod
    def _accepted(response) -> bool:
        assert response.status_code < 500, response.text
        return response.status_code == 200

    def register(self, name):
        return self._accepted(self.api.post("/users", json={"username": name, "password": "secret1"}))

    def create(self, owner, members, maxusers):
        return self._accepted(self.api.post("/chatgroups", json={
            "groupname": "g", "public": True, "owner": owner, "members": members, "maxusers": maxusers}))

    def add(self, group_id, names):
        if len(names) == 1:
            return self._accepted(self.api.post(f"/chatgroups/{group_id}/users/{names[0]}"))
        return self._accepted(self.api.post(f"/chatgroups/{group_id}/users", json={"usernames": names}))

    def remove(self, group_id, name):
        return self._accepted(self.api.delete(f"/chatgroups/{group_id}/users/{name}"))

    def delete_group(self, group_id):
        return self._accepted(self.api.delete(f"/chatgroups/{group_id}"))

    def delete_user(self, name):
        return self._accepted(self.api.delete(f"/users/{name}"))


def _run(app, calls, *, steps: int, seed: int) -> Counter:
    """``steps`` operations drawn with a fixed seed on the app's current users and groups; checks the counters
    after each one. Returns how many of each kind were accepted and refused, and the most groups a user was in."""
    rng = random.Random(seed)
    outcomes = Counter()
    for step in range(steps):
        names = sorted(ImUser.objects.filter(app=app).values_list("username", flat=True))
        group_ids = sorted(ImGroup.objects.filter(app=app).values_list("group_id", flat=True))
        kind = rng.choices(list(OPERATIONS), weights=list(OPERATIONS.values()))[0]
        if kind == "register" or len(names) < 3:
            kind, accepted = "register", calls.register(f"u{step:03d}")
        elif kind == "create" or not group_ids:
            kind, accepted = "create", calls.create(rng.choice(names), rng.sample(names, rng.randint(0, 3)),
                                                    rng.randint(2, 5))
        elif kind == "add":
            accepted = calls.add(rng.choice(group_ids), rng.sample(names, rng.randint(1, 3)))
        elif kind == "remove":
            group = ImGroup.objects.get(app=app, group_id=rng.choice(group_ids))
            members = sorted(ImGroupMember.objects.filter(group=group).values_list("user__username", flat=True))
            accepted = calls.remove(group.group_id, rng.choice(members or names))  # the owner's is refused
        elif kind == "delete_group":
            accepted = calls.delete_group(rng.choice(group_ids))
        else:
            accepted = calls.delete_user(rng.choice(names))
        outcomes[(kind, accepted)] += 1
        assert _miscounted(app) == [], (step, kind)
        busiest = ImUser.objects.filter(app=app).order_by("-group_count").values_list("group_count", flat=True)
        outcomes["busiest user"] = max(outcomes["busiest user"], busiest.first() or 0)
    return outcomes


def _assert_quota_use_follows(app) -> None:
    members = Counter(ImGroupMember.objects.filter(group__app=app).values_list("group_id", flat=True))
    joined = Counter(ImGroupMember.objects.filter(group__app=app).values_list("user_id", flat=True))
    use = app_quota_use(app=app, today=app_usage_today(app=app))
    assert (use.largest_group, use.busiest_user) == (max(members.values(), default=0),
                                                      max(joined.values(), default=0))


@pytest.mark.django_db
def test_counters_equal_the_memberships_after_a_sequence_of_service_calls(small_user_groups_cap):
    app = AppFactory()
    other = AppFactory()
    ServiceCalls(other).register("u000")
    outcomes = _run(app, ServiceCalls(app), steps=150, seed=14)
    # every kind of change happened, and refusals too (full groups, the groups-per-user cap, the owner)
    assert all(outcomes[(kind, True)] for kind in OPERATIONS), outcomes
    assert outcomes[("add", False)] and outcomes[("remove", False)], outcomes
    assert outcomes["busiest user"] == USER_GROUPS_CAP, outcomes
    _assert_quota_use_follows(app)
    assert _miscounted(other) == [] and ImUser.objects.get(app=other).group_count == 0


def test_counters_equal_the_memberships_after_a_sequence_of_rest_calls(admin, im_app, small_user_groups_cap):
    outcomes = _run(im_app, RestCalls(admin), steps=60, seed=16)
    assert all(outcomes[(kind, True)] for kind in OPERATIONS), outcomes
    _assert_quota_use_follows(im_app)


@pytest.mark.django_db
def test_deleting_a_user_takes_its_groups_off_their_members_counts():
    app = AppFactory()
    users.users_register(app=app, entries=[{"username": name, "password": "secret1"} for name in "abcd"])
    for owner, members in (("a", ["b", "c"]), ("a", ["b"]), ("b", ["a", "c", "d"])):
        groups.group_create(app=app, data={"groupname": "g", "public": True, "owner": owner, "members": members})
    users.user_delete(app=app, username="a")
    assert dict(ImUser.objects.filter(app=app).values_list("username", "group_count")) == {"b": 1, "c": 1, "d": 1}
    assert list(ImGroup.objects.filter(app=app).values_list("member_count", flat=True)) == [3]
    assert _miscounted(app) == []


@pytest.mark.django_db
def test_a_staff_delete_in_the_admin_goes_through_the_services_and_keeps_every_counter(admin_client):
    from django.urls import reverse

    from apps.im.models import UserCounter

    app = AppFactory()
    users.users_register(app=app, entries=[{"username": name, "password": "secret1"} for name in "abc"])
    group = groups.group_create(app=app, data={"groupname": "g", "public": True, "owner": "a",
                                               "members": ["b", "c"], "maxusers": 10})
    other = groups.group_create(app=app, data={"groupname": "h", "public": True, "owner": "c",
                                               "members": ["b"], "maxusers": 10})
    changelist = reverse("admin:im_imuser_changelist")
    b = ImUser.objects.get(app=app, username="b")
    answer = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [b.pk], "post": "yes"})
    assert answer.status_code == 302 and not ImUser.objects.filter(pk=b.pk).exists()
    assert _miscounted(app) == []
    assert UserCounter.objects.get(app=app).registered == 2
    answer = admin_client.post(reverse("admin:im_imgroup_delete", args=[group.pk]), {"post": "yes"})
    assert answer.status_code == 302 and not ImGroup.objects.filter(pk=group.pk).exists()
    assert _miscounted(app) == [] and ImUser.objects.get(app=app, username="c").group_count == 1
    assert ImGroup.objects.get(pk=other.pk).member_count == 1  # its owner c; b went with its deletion
    assert admin_client.get(reverse("admin:im_imuser_add")).status_code == 403  # created through the services only
