"""The console's IM groups page: list with search by name or group ID, a group's owner and members, remove a
member, delete a group after a confirmation; audited; finance and other orgs kept out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from apps.im.models import ImGroup, ImGroupMember, ImUser
from apps.im.services import groups, users
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(org):
    app = AppFactory(organization=org, name="chat")
    users.users_register(app=app, entries=[{"username": n, "password": "x"} for n in ("alice", "bob", "carl")])
    return app


def url(name: str, app, **kwargs) -> str:
    return reverse(f"im_console:{name}", kwargs={"org_name": app.organization.name, "app_name": app.name, **kwargs})


def make(app, name: str, owner="alice", members=("bob", "carl")) -> ImGroup:
    return groups.group_create(app=app, data={"groupname": name, "owner": owner, "members": list(members),
                                              "maxusers": 50, "public": True})


def test_list_search_by_name_prefix_or_id_with_owner_and_member_count(owner_client, app):
    team, other = make(app, "Team room"), make(app, "other", owner="bob", members=())
    listed = owner_client.get(url("groups", app))
    assert [(g.group_id, g.owner.username, g.member_count) for g in listed.context["rows"]] == [
        (team.group_id, "alice", 3), (other.group_id, "bob", 1)]
    assert [g.pk for g in owner_client.get(url("groups", app), {"q": "team"}).context["rows"]] == [team.pk]
    assert [g.pk for g in owner_client.get(url("groups", app), {"q": other.group_id}).context["rows"]] == [other.pk]
    assert b"No group matches." in owner_client.get(url("groups", app), {"q": "zzz"}).content


def test_keyset_pages_and_constant_queries(owner_client, app):
    for i in range(3):
        make(app, f"g{i}")
    owner_client.get(url("groups", app))  # counted warm: the console caches membership and plan lookups
    with CaptureQueriesContext(connection) as few:
        owner_client.get(url("groups", app))
    users.users_register(app=app, entries=[{"username": f"o{i}", "password": "x"} for i in range(20)])
    created = [make(app, f"h{i}", owner=f"o{i}", members=()) for i in range(20)]
    owner_client.get(url("groups", app))
    with CaptureQueriesContext(connection) as many:
        first = owner_client.get(url("groups", app))
    assert len(few) == len(many) <= 10
    assert first.context["next_after"] == created[16].pk
    second = owner_client.get(url("groups", app), {"after": str(created[16].pk)})
    assert [g.pk for g in second.context["rows"]] == [g.pk for g in created[17:]]
    assert "OFFSET" not in " ".join(q["sql"].upper() for q in many.captured_queries)


def test_detail_shows_owner_and_members_and_removes_a_member(owner_client, app):
    team = make(app, "team")
    detail = owner_client.get(url("group_detail", app, group_id=team.group_id))
    assert [(m.user.username, m.role) for m in detail.context["rows"]] == [
        ("alice", "owner"), ("bob", "member"), ("carl", "member")]
    assert b"Owner alice" in detail.content
    owner_client.post(url("group_member_remove", app, group_id=team.group_id, username="bob"))
    assert list(ImGroupMember.objects.filter(group=team).values_list("user__username", flat=True)
                .order_by("user__username")) == ["alice", "carl"]
    assert AuditEntry.objects.get(action="im.group_member_removed").detail == {
        "username": "bob", "group_id": team.group_id}
    refused = owner_client.post(url("group_member_remove", app, group_id=team.group_id, username="alice"),
                                follow=True)
    assert b"forbidden operation on group owner!" in refused.content
    assert ImGroupMember.objects.filter(group=team, user__username="alice").exists()


def test_delete_asks_first_then_deletes(owner_client, app):
    team = make(app, "team")
    confirm = owner_client.get(url("group_delete", app, group_id=team.group_id))
    assert b"and its 3 memberships go." in confirm.content and ImGroup.objects.filter(pk=team.pk).exists()
    owner_client.post(url("group_delete", app, group_id=team.group_id))
    assert not ImGroup.objects.filter(pk=team.pk).exists() and ImUser.objects.filter(username="alice").exists()
    assert AuditEntry.objects.get(action="im.group_deleted").detail == {"group_id": team.group_id, "name": "team"}


def test_unknown_group_404_finance_403_other_org_404(owner_client, member_client, other_org_client, app):
    team = make(app, "team")
    assert owner_client.get(url("group_detail", app, group_id="1")).status_code == 404
    assert owner_client.post(url("group_delete", app, group_id="1")).status_code == 404
    finance = member_client(Role.FINANCE)
    assert finance.get(url("groups", app)).status_code == 403
    assert finance.post(url("group_delete", app, group_id=team.group_id)).status_code == 403
    assert other_org_client.post(url("group_delete", app, group_id=team.group_id)).status_code == 404
    assert ImGroup.objects.filter(pk=team.pk).exists()
    overview = owner_client.get(reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": "chat"}))
    assert url("groups", app).encode() in overview.content
