"""The console's IM users page: list, prefix search, keyset pages, the count against the plan's cap, create,
ban/unban, force logout, reset password, delete (with what goes), test message through the REST send service,
a user token shown once; audited by IM username only; finance and other orgs kept out."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.audit.models import AuditEntry
from apps.im.models import ImGroup, ImGroupMember, ImMessage, ImUser
from apps.im.passwords import password_matches
from apps.im.services import auth, groups, users
from apps.im.tokens import token_read
from tests.applications.factories import AppFactory
from tests.im.helpers import enable_feature
from tests.orders.factories import app_on_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(org):
    return AppFactory(organization=org, name="chat")


def url(name: str, app, **kwargs) -> str:
    return reverse(f"im_console:{name}", kwargs={"org_name": app.organization.name, "app_name": app.name, **kwargs})


def register(app, *names: str, password: str = "secret1") -> list[ImUser]:
    made = []
    for start in range(0, len(names), users.BATCH_MAX):
        made += users.users_register(app=app, entries=[{"username": n, "password": password}
                                                       for n in names[start:start + users.BATCH_MAX]])
    return made


def audit_texts() -> str:
    return repr(list(AuditEntry.objects.values_list("summary", "detail")))


def test_list_shows_users_and_the_count_against_the_free_cap(owner_client, app):
    register(app, "alice", "bob")
    response = owner_client.get(url("users", app))
    assert response.status_code == 200
    assert [u.username for u in response.context["rows"]] == ["alice", "bob"]
    assert (response.context["registered"], response.context["cap"]) == (2, 100)
    assert b"2 of 100 registered users" in response.content


def test_prefix_search_and_keyset_pages_without_offset_or_count(owner_client, app, settings):
    register(app, *[f"user{i:02d}" for i in range(45)], "zed")
    first = owner_client.get(url("users", app), {"q": "USER"})
    assert [u.username for u in first.context["rows"]] == [f"user{i:02d}" for i in range(20)]
    assert first.context["next_after"] == "user19"
    with CaptureQueriesContext(connection) as queries:
        second = owner_client.get(url("users", app), {"q": "user", "after": "user19"})
    assert [u.username for u in second.context["rows"]] == [f"user{i:02d}" for i in range(20, 40)]
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql
    third = owner_client.get(url("users", app), {"q": "user", "after": "user39"})
    assert [u.username for u in third.context["rows"]] == [f"user{i:02d}" for i in range(40, 45)]
    assert third.context["next_after"] is None
    assert b'rel="next"' not in third.content


def test_query_count_does_not_grow_with_the_users(owner_client, app):
    """Counted on a warm request (the console caches the session's membership and the plan between requests)."""
    register(app, "one")
    owner_client.get(url("users", app))
    with CaptureQueriesContext(connection) as few:
        assert owner_client.get(url("users", app)).status_code == 200
    register(app, *[f"u{i}" for i in range(60)])
    owner_client.get(url("users", app))
    with CaptureQueriesContext(connection) as many:
        assert owner_client.get(url("users", app)).status_code == 200
    assert len(few) == len(many) <= 10


def test_create_registers_through_the_rest_service_and_audits_without_the_password(owner_client, app):
    response = owner_client.post(url("user_create", app),
                                 {"username": "Carol", "password": "pa55-word", "nickname": "C"}, follow=True)
    assert b"IM user carol created." in response.content
    carol = ImUser.objects.get(app=app, username="carol")
    assert carol.nickname == "C" and password_matches("pa55-word", carol.password)
    entry = AuditEntry.objects.get(action="im.user_created")
    assert entry.detail == {"username": "carol"} and entry.app_id == app.pk
    assert "pa55-word" not in audit_texts()


def test_create_refuses_a_duplicate_a_bad_name_and_the_cap_with_400(owner_client, app):
    register(app, "carol")
    duplicate = owner_client.post(url("user_create", app), {"username": "carol", "password": "x"})
    assert duplicate.status_code == 400 and b"value of carol exists" in duplicate.content
    bad = owner_client.post(url("user_create", app), {"username": "no spaces", "password": "x"})
    assert bad.status_code == 400 and b"username is not legal" in bad.content
    register(app, *[f"u{i}" for i in range(99)])  # Free caps at 100
    full = owner_client.post(url("user_create", app), {"username": "late", "password": "x"})
    assert full.status_code == 400 and b"exceeded the limit" in full.content
    assert not ImUser.objects.filter(username="late").exists()
    assert not AuditEntry.objects.filter(action="im.user_created").exists()


def test_ban_unban_and_force_logout_change_what_tokens_do(owner_client, app):
    register(app, "alice")
    token = auth.token_for_user(app=app, username="alice", password="secret1").access_token
    assert owner_client.post(url("user_ban", app, username="alice")).status_code == 302
    assert not ImUser.objects.get(username="alice").activated
    with pytest.raises(auth.Unauthorized):
        auth.principal_for(app=app, authorization=f"Bearer {token}")
    owner_client.post(url("user_unban", app, username="alice"))
    assert auth.principal_for(app=app, authorization=f"Bearer {token}").user.username == "alice"
    owner_client.post(url("user_logout", app, username="alice"))
    with pytest.raises(auth.Unauthorized):
        auth.principal_for(app=app, authorization=f"Bearer {token}")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "detail"))
    assert actions == [("im.user_banned", {"username": "alice"}), ("im.user_unbanned", {"username": "alice"}),
                       ("im.user_logged_out", {"username": "alice"})]


def test_reset_password(owner_client, app):
    register(app, "alice")
    assert owner_client.get(url("user_password", app, username="alice")).status_code == 200
    empty = owner_client.post(url("user_password", app, username="alice"), {"newpassword": ""})
    assert empty.status_code == 400
    owner_client.post(url("user_password", app, username="alice"), {"newpassword": "n3w-secret"})
    assert password_matches("n3w-secret", ImUser.objects.get(username="alice").password)
    assert AuditEntry.objects.get(action="im.user_password_reset").detail == {"username": "alice"}
    assert "n3w-secret" not in audit_texts()


def test_delete_confirmation_names_what_goes_then_deletes(owner_client, app):
    register(app, "alice", "bob", "carl")
    mine = groups.group_create(app=app, data={"groupname": "mine", "owner": "alice", "members": ["bob"],
                                              "maxusers": 10, "public": True})
    groups.group_create(app=app, data={"groupname": "theirs", "owner": "bob", "members": ["alice", "carl"],
                                       "maxusers": 10, "public": True})
    ops_send = {"from": "alice", "to": ["bob"], "type": "txt", "body": {"msg": "hi"}}
    from apps.im.services.messages import message_send
    message_send(app=app, chat_type="chat", data=ops_send)
    confirm = owner_client.get(url("user_delete", app, username="alice"))
    assert confirm.context["impact"] == {"memberships": 1, "owned_groups": 1, "owned_group_members": 1,
                                         "messages": 1}
    assert b"1 group membership" in confirm.content and b"1 group it owns (with 1 other members)" in confirm.content
    assert ImUser.objects.filter(username="alice").exists()  # GET deletes nothing
    owner_client.post(url("user_delete", app, username="alice"))
    assert not ImUser.objects.filter(username="alice").exists()
    assert not ImGroup.objects.filter(pk=mine.pk).exists()
    assert list(ImGroupMember.objects.filter(group__name="theirs").values_list("user__username", flat=True)
                .order_by("user__username")) == ["bob", "carl"]
    assert AuditEntry.objects.get(action="im.user_deleted").detail == {"username": "alice"}


def test_token_is_shown_once_valid_and_not_audited(owner_client, app):
    register(app, "alice")
    response = owner_client.post(url("user_token", app, username="alice"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    token = response.context["issued"].access_token
    assert auth.principal_for(app=app, authorization=f"Bearer {token}").user.username == "alice"
    assert token_read(token).app_id == app.pk
    entry = AuditEntry.objects.get(action="im.user_token_issued")
    assert entry.detail["username"] == "alice" and token not in audit_texts()
    assert token.encode() not in owner_client.get(url("users", app)).content
    owner_client.post(url("user_ban", app, username="alice"))
    refused = owner_client.post(url("user_token", app, username="alice"), follow=True)
    assert b"user alice is banned" in refused.content


def test_test_message_goes_through_the_send_service_with_sensitive_words_replaced(owner_client, app):
    register(app, "alice", "bob")
    app_on_plan(app, "pro")
    enable_feature(app, "sensitive_words")
    owner_client.post(reverse("features:sensitive_words_add", kwargs={"org_name": "acme", "app_name": "chat"}),
                      {"words": "badword"})
    owner_client.post(reverse("features:settings_sensitive_words", kwargs={"org_name": "acme", "app_name": "chat"}),
                      {"enabled": "on", "action": "replace", "ignore_case": "on"})
    response = owner_client.post(url("test_message", app),
                                 {"sender": "alice", "chat_type": "chat", "to": "bob", "text": "a BADWORD here"},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<q data-delivered>a *** here</q>" in response.content
    assert b"<html" not in response.content  # the partial, swapped in place
    message = ImMessage.objects.get(app=app)
    assert (message.from_user, message.to, message.body) == ("alice", "bob", {"msg": "a *** here"})
    assert AuditEntry.objects.get(action="im.test_message_sent").detail["msg_ids"] == [message.msg_id]


def test_test_message_without_js_renders_the_page_and_refusals_say_why(owner_client, app):
    register(app, "alice", "bob")
    group = groups.group_create(app=app, data={"groupname": "g", "owner": "alice", "members": ["bob"],
                                               "maxusers": 10, "public": True})
    page = owner_client.post(url("test_message", app),
                             {"sender": "alice", "chat_type": "groupchat", "to": group.group_id, "text": "hello"})
    assert page.status_code == 200 and b"<html" in page.content and b"data-test-message-result" in page.content
    missing = owner_client.post(url("test_message", app),
                                {"sender": "alice", "chat_type": "chat", "to": "nobody", "text": "hi"})
    assert missing.status_code == 404 and b"Not sent: Service resource not found" in missing.content
    no_group = owner_client.post(url("test_message", app),
                                 {"sender": "alice", "chat_type": "groupchat", "to": "123", "text": "hi"})
    assert no_group.status_code == 404 and b"group 123 doesn&#x27;t exist" in no_group.content
    empty = owner_client.post(url("test_message", app), {"sender": "", "chat_type": "chat", "to": "", "text": ""})
    assert empty.status_code == 400
    assert ImMessage.objects.count() == 1


def test_unknown_user_answers_404(owner_client, app):
    for name in ("user_ban", "user_unban", "user_logout", "user_token"):
        assert owner_client.post(url(name, app, username="ghost")).status_code == 404
    for name in ("user_password", "user_delete"):
        assert owner_client.get(url(name, app, username="ghost")).status_code == 404


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DEVELOPER])
def test_admin_and_developer_manage(member_client, app, role):
    client = member_client(role)
    assert client.get(url("users", app)).status_code == 200
    assert client.post(url("user_create", app), {"username": "dev", "password": "x"}).status_code == 302


def test_finance_sees_nothing(member_client, app):
    register(app, "alice")
    client = member_client(Role.FINANCE)
    assert client.get(url("users", app)).status_code == 403
    assert client.post(url("user_ban", app, username="alice")).status_code == 403
    assert client.post(url("user_token", app, username="alice")).status_code == 403
    overview = client.get(reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": "chat"}))
    assert url("users", app).encode() not in overview.content
    assert ImUser.objects.get(username="alice").activated


def test_nav_links_the_page_for_the_owner(owner_client, app):
    overview = owner_client.get(reverse("applications:app_detail", kwargs={"org_name": "acme", "app_name": "chat"}))
    assert url("users", app).encode() in overview.content


def test_another_org_gets_404(other_org_client, app):
    register(app, "alice")
    assert other_org_client.get(url("users", app)).status_code == 404
    assert other_org_client.post(url("user_ban", app, username="alice")).status_code == 404
    assert ImUser.objects.get(username="alice").activated


def test_audit_log_reads_the_im_entries(owner_client, app):
    register(app, "alice")
    owner_client.post(url("user_ban", app, username="alice"))
    log = owner_client.get(reverse("audit:audit_list", kwargs={"org_name": "acme"}))
    assert b"IM user banned" in log.content and b"IM user alice banned" in log.content
