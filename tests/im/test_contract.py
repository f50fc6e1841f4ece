"""Contract tests: the examples of Easemob's REST pages (easemob-doc, docs/document/server-side/), sent with a
plain HTTP client to a live server, and the documented errors."""

import pytest

from apps.im.models import ImGroupMember, ImMessage, ImUser

pytestmark = pytest.mark.django_db(transaction=True)

ENVELOPE = {"error", "exception", "error_description", "timestamp", "duration"}


def assert_error(response, status: int, error: str):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ENVELOPE, body
    assert body["error"] == error, body
    assert "set-cookie" not in {key.lower() for key in response.headers}
    return body


# --- envelope and base --------------------------------------------------------------------------------------
def test_unknown_org_or_app_is_organization_application_not_found(rest):
    response = rest.session.post(f"{rest.base}/rest/nope/nothere/token", json={"grant_type": "client_credentials"})
    body = assert_error(response, 404, "organization_application_not_found")
    assert "nope/nothere" in body["error_description"]


def test_unknown_path_and_method_answer_json_not_html(admin):
    assert_error(admin.get("/no/such/thing"), 404, "service_resource_not_found")
    assert_error(admin.session.get(f"{admin.base}/rest/"), 404, "service_resource_not_found")
    assert_error(admin.call("PATCH", "/users"), 405, "method_not_allowed")


def test_malformed_json_is_illegal_argument(admin):
    response = admin.post("/users", data="{not json", headers={"Content-Type": "application/json"})
    assert_error(response, 400, "illegal_argument")


def test_a_body_over_the_upload_limit_is_413_not_500(admin):
    response = admin.post("/users", data=b"[" + b" " * (3 * 1024 * 1024) + b"]",
                          headers={"Content-Type": "application/json"})
    assert_error(response, 413, "request_entity_too_large")


def test_rest_calls_set_no_cookie_and_need_no_csrf(admin):
    response = admin.post("/users", json={"username": "user1", "password": "123"})
    assert response.status_code == 200
    assert "set-cookie" not in {key.lower() for key in response.headers}


# --- tokens ---------------------------------------------------------------------------------------------------
def test_client_credentials_gives_an_app_token(rest, im_app):
    response = rest.post("/token", json={"grant_type": "client_credentials", "client_id": im_app.client_id,
                                         "client_secret": im_app.client_secret, "ttl": "1024000"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "application"}
    assert body["expires_in"] == 1024000
    assert body["access_token"].startswith("YWMt")
    assert body["application"] == str(im_app.uuid)


def test_app_token_lasts_the_default_sixty_days_and_ttl_cannot_lengthen_it(rest, im_app):
    response = rest.post("/token", json={"grant_type": "client_credentials", "client_id": im_app.client_id,
                                         "client_secret": im_app.client_secret, "ttl": 10**9})
    assert response.json()["expires_in"] == 60 * 24 * 3600


def test_wrong_client_secret_is_invalid_grant(rest, im_app):
    response = rest.post("/token", json={"grant_type": "client_credentials", "client_id": im_app.client_id,
                                         "client_secret": "YXA6wrong"})
    body = assert_error(response, 400, "invalid_grant")
    assert body["error_description"] == "client_secret does not match"
    response = rest.post("/token", json={"grant_type": "client_credentials", "client_id": "YXA6nope",
                                         "client_secret": im_app.client_secret})
    assert assert_error(response, 400, "invalid_grant")["error_description"] == "client_id does not match"


def test_password_grant_gives_a_user_token_with_the_user(admin):
    admin.register("c", password="1")
    response = admin.post("/token", token=None,
                          json={"grant_type": "password", "username": "C", "password": "1", "ttl": "1024000"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "user"}
    assert set(body["user"]) == {"uuid", "type", "created", "modified", "username", "activated"}
    assert body["user"]["username"] == "c" and body["user"]["type"] == "user" and body["user"]["activated"]


def test_password_grant_with_a_wrong_password_is_invalid_grant(admin):
    admin.register("c", password="1")
    response = admin.post("/token", token=None, json={"grant_type": "password", "username": "c", "password": "2"})
    assert assert_error(response, 400, "invalid_grant")["error_description"] == "invalid username or password"


def test_calls_without_token_or_with_a_corrupt_one_are_401(rest):
    assert_error(rest.get("/users", token=None), 401, "unauthorized")
    assert_error(rest.get("/users", token="YWMtgarbage"), 401, "auth_bad_access_token")


def test_a_token_of_another_app_is_refused_and_shows_nothing(live_server, admin, other_app):
    from tests.im.conftest import Rest

    admin.register("secretuser")
    other = Rest(live_server.url, other_app).login()
    response = admin.get("/users/secretuser", token=other.token)
    body = assert_error(response, 401, "auth_bad_access_token")
    assert "secretuser" not in str(body)


def test_a_user_token_reads_its_own_user_but_is_not_an_admin(admin):
    admin.register("u1", "u2")
    user_token = admin.post("/token", token=None, json={"grant_type": "password", "username": "u1",
                                                        "password": "secret1"}).json()["access_token"]
    assert admin.get("/users/u1", token=user_token).status_code == 200
    assert_error(admin.get("/users/u2", token=user_token), 401, "unauthorized")
    assert_error(admin.get("/users", token=user_token), 401, "unauthorized")


# --- users ----------------------------------------------------------------------------------------------------
def test_register_one_user(admin, im_app):
    response = admin.post("/users", json=[{"username": "user1", "password": "123", "nickname": "testuser"}])
    assert response.status_code == 200
    body = response.json()
    for key in ("action", "application", "path", "uri", "entities", "timestamp", "duration", "organization",
                "applicationName"):
        assert key in body
    assert body["action"] == "post" and body["path"] == "/users"
    assert body["organization"] == "easemob-demo" and body["applicationName"] == "testapp"
    assert body["application"] == str(im_app.uuid) != str(im_app.pk)
    entity = body["entities"][0]
    assert entity["username"] == "user1" and entity["nickname"] == "testuser" and entity["activated"] is True
    stored = ImUser.objects.get(app=im_app, username="user1")
    assert stored.password != "123" and "123" not in stored.password


def test_register_a_batch(admin, im_app):
    body = admin.register("user1", "user2")
    assert [entity["username"] for entity in body["entities"]] == ["user1", "user2"]
    assert ImUser.objects.filter(app=im_app).count() == 2


def test_a_batch_with_one_bad_entry_registers_nobody(admin, im_app):
    admin.register("user3")
    response = admin.post("/users", json=[{"username": "user1", "password": "1"},
                                          {"username": "user3", "password": "1"}])
    assert_error(response, 400, "duplicate_unique_property_exists")
    response = admin.post("/users", json=[{"username": "user1", "password": "1"},
                                          {"username": "bad name!", "password": "1"}])
    assert_error(response, 400, "illegal_argument")
    assert list(ImUser.objects.filter(app=im_app).values_list("username", flat=True)) == ["user3"]


def test_a_batch_over_sixty_is_refused(admin, im_app):
    response = admin.post("/users", json=[{"username": f"u{i}", "password": "1"} for i in range(61)])
    assert_error(response, 400, "illegal_argument")
    assert not ImUser.objects.filter(app=im_app).exists()


@pytest.mark.parametrize(
    ("entry", "description"),
    [
        ({"password": "1"}, "Entity user requires a property named username"),
        ({"username": "user1"}, "password or pin must provided"),
        ({"username": "user1", "password": ""}, "password or pin must provided"),
        ({"username": "a" * 65, "password": "1"}, "username is not legal"),
        ({"username": "user 1", "password": "1"}, "username is not legal"),
        ({"username": "user1", "password": "p" * 65}, "password is too long: at most 64 characters"),
    ],
)
def test_registration_validation_errors(admin, entry, description):
    response = admin.post("/users", json=entry)
    assert assert_error(response, 400, "illegal_argument")["error_description"] == description


def test_get_one_user_and_unknown_user(admin):
    admin.register("user1")
    body = admin.get("/users/user1").json()
    assert body["count"] == 1 and body["entities"][0]["username"] == "user1"
    assert_error(admin.get("/users/ghost"), 404, "service_resource_not_found")


def test_list_users_by_cursor(admin):
    admin.register("u1", "u2", "u3")
    first = admin.get("/users", params={"limit": 2}).json()
    assert [e["username"] for e in first["entities"]] == ["u1", "u2"]
    assert first["count"] == 2 and first["params"] == {"limit": ["2"]}
    second = admin.get("/users", params={"limit": 2, "cursor": first["cursor"]}).json()
    assert [e["username"] for e in second["entities"]] == ["u3"]
    assert "cursor" not in second
    assert_error(admin.get("/users", params={"limit": 101}), 400, "illegal_argument")
    assert_error(admin.get("/users", params={"cursor": "%%%"}), 400, "illegal_argument")


def test_delete_user(admin, im_app):
    admin.register("user1")
    body = admin.delete("/users/user1").json()
    assert body["action"] == "delete" and body["entities"][0]["username"] == "user1"
    assert not ImUser.objects.filter(app=im_app).exists()
    assert_error(admin.delete("/users/user1"), 404, "service_resource_not_found")


def test_change_password(admin):
    admin.register("user1", password="old")
    response = admin.put("/users/user1/password", json={"newpassword": "new"})
    assert response.status_code == 200 and response.json()["action"] == "set user password"
    grant = {"grant_type": "password", "username": "user1"}
    assert admin.post("/token", token=None, json={**grant, "password": "old"}).status_code == 400
    assert admin.post("/token", token=None, json={**grant, "password": "new"}).status_code == 200
    assert_error(admin.put("/users/user1/password", json={}), 400, "illegal_argument")


def test_ban_blocks_tokens_and_unban_restores(admin):
    admin.register("user1")
    grant = {"grant_type": "password", "username": "user1", "password": "secret1"}
    user_token = admin.post("/token", token=None, json=grant).json()["access_token"]
    body = admin.post("/users/user1/deactivate").json()
    assert body["action"] == "Deactivate user" and body["entities"][0]["activated"] is False
    assert admin.post("/token", token=None, json=grant).status_code == 401
    assert admin.get("/users/user1", token=user_token).status_code == 401
    assert admin.post("/users/user1/activate").json()["action"] == "activate user"
    assert admin.post("/token", token=None, json=grant).status_code == 200


def test_force_logout_revokes_earlier_user_tokens(admin):
    admin.register("user1")
    grant = {"grant_type": "password", "username": "user1", "password": "secret1"}
    before = admin.post("/token", token=None, json=grant).json()["access_token"]
    body = admin.get("/users/user1/disconnect").json()
    assert body["data"] == {"result": True}
    assert_error(admin.get("/users/user1", token=before), 401, "unauthorized")
    after = admin.post("/token", token=None, json=grant).json()["access_token"]
    assert admin.get("/users/user1", token=after).status_code == 200


# --- groups ---------------------------------------------------------------------------------------------------
def make_group(admin, **overrides) -> str:
    payload = {"groupname": "testgroup", "description": "test", "public": True, "maxusers": 100,
               "owner": "testuser", "members": ["user2"], **overrides}
    response = admin.post("/chatgroups", json=payload)
    assert response.status_code == 200, response.text
    return response.json()["data"]["groupid"]


def test_create_and_get_group(admin):
    admin.register("testuser", "user2")
    group_id = make_group(admin)
    assert group_id.isdigit()
    body = admin.get(f"/chatgroups/{group_id}").json()
    detail = body["data"][0]
    assert detail["id"] == group_id and detail["name"] == "testgroup" and detail["owner"] == "testuser"
    assert detail["maxusers"] == 100 and detail["affiliations_count"] == 2 and detail["public"] is True


def test_group_errors(admin):
    admin.register("testuser")
    assert_error(admin.post("/chatgroups", json={"groupname": "g", "public": True, "owner": "ghost"}), 400,
                 "illegal_argument")
    response = admin.post("/chatgroups", json={"groupname": "g", "public": True, "owner": "testuser",
                                               "members": ["ghost"]})
    assert assert_error(response, 400, "illegal_argument")["error_description"] == "group member ghost doesn't exist"
    assert_error(admin.get("/chatgroups/123456789012345"), 404, "service_resource_not_found")


def test_maxusers_above_the_plan_cap_is_refused(admin):
    admin.register("testuser")
    assert_error(admin.post("/chatgroups", json={"groupname": "g", "public": True, "owner": "testuser",
                                                 "maxusers": 101}), 403, "forbidden_op")


def test_members_add_list_remove(admin):
    admin.register("testuser", "user2", "user3", "user4", "user5")
    group_id = make_group(admin)
    one = admin.post(f"/chatgroups/{group_id}/users/user3").json()["data"]
    assert one == {"result": True, "groupid": group_id, "action": "add_member", "user": "user3"}
    many = admin.post(f"/chatgroups/{group_id}/users", json={"usernames": ["user4", "user5"]}).json()["data"]
    assert sorted(many["newmembers"]) == ["user4", "user5"] and many["action"] == "add_member"
    assert_error(admin.post(f"/chatgroups/{group_id}/users/user3"), 403, "forbidden_op")
    members = admin.get(f"/chatgroups/{group_id}/users").json()
    assert members["data"][0] == {"owner": "testuser"}
    assert {"member": "user5"} in members["data"] and members["count"] == 5
    removed = admin.delete(f"/chatgroups/{group_id}/users/user3").json()["data"]
    assert removed == {"result": True, "action": "remove_member", "user": "user3", "groupid": group_id}
    assert_error(admin.delete(f"/chatgroups/{group_id}/users/user3"), 403, "forbidden_op")
    assert_error(admin.delete(f"/chatgroups/{group_id}/users/testuser"), 403, "forbidden_op")


def test_joins_beyond_maxusers_are_refused(admin):
    admin.register("testuser", "user2", "user3")
    group_id = make_group(admin, maxusers=2)
    body = assert_error(admin.post(f"/chatgroups/{group_id}/users/user3"), 403, "forbidden_op")
    assert "capacity" in body["error_description"]
    assert ImGroupMember.objects.filter(group__group_id=group_id).count() == 2


def test_joined_groups_and_delete_group(admin):
    admin.register("testuser", "user2")
    group_id = make_group(admin)
    joined = admin.get("/users/user2/joined_chatgroups").json()
    assert joined["data"] == [{"groupid": group_id, "groupname": "testgroup"}]
    deleted = admin.delete(f"/chatgroups/{group_id}").json()["data"]
    assert deleted == {"success": True, "groupid": group_id}
    assert admin.get("/users/user2/joined_chatgroups").json()["data"] == []


# --- messages -------------------------------------------------------------------------------------------------
def test_send_text_to_users(admin, im_app):
    response = admin.post("/messages/users", json={"from": "user1", "to": ["user2", "user3"], "type": "txt",
                                                   "body": {"msg": "testmessages"}})
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"user2", "user3"} and all(value.isdigit() for value in data.values())
    stored = ImMessage.objects.get(msg_id=data["user2"])
    assert (stored.app_id, stored.from_user, stored.to, stored.chat_type, stored.msg_type, stored.body) == (
        im_app.pk, "user1", "user2", "chat", "txt", {"msg": "testmessages"})


def test_send_custom_to_a_group(admin):
    admin.register("testuser", "user2")
    group_id = make_group(admin)
    response = admin.post("/messages/chatgroups", json={"from": "user1", "to": [group_id], "type": "custom",
                                                        "body": {"customEvent": "custom_event"}})
    assert response.status_code == 200
    msg_id = response.json()["data"][group_id]
    assert ImMessage.objects.get(msg_id=msg_id).chat_type == "groupchat"


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [
        ({"from": "", "to": ["u"], "type": "txt", "body": {"msg": "x"}}, 400, "illegal_argument"),
        ({"to": [], "type": "txt", "body": {"msg": "x"}}, 400, "illegal_argument"),
        ({"to": [f"u{i}" for i in range(601)], "type": "txt", "body": {"msg": "x"}}, 400, "illegal_argument"),
        ({"to": ["u"], "type": "img", "body": {"msg": "x"}}, 400, "illegal_argument"),
        ({"to": ["u"], "type": "txt", "body": {}}, 400, "illegal_argument"),
        ({"to": ["u"], "type": "txt", "body": {"msg": "x" * 5200}}, 413, "request_entity_too_large"),
        ({"to": ["u"], "type": "txt", "body": {"msg": "x" * 3000}, "ext": {"k": "y" * 2500}}, 413,
         "request_entity_too_large"),
    ],
)
def test_send_validation_errors_store_nothing(admin, payload, status, error):
    assert_error(admin.post("/messages/users", json=payload), status, error)
    assert not ImMessage.objects.exists()


def test_group_messages_go_to_at_most_three_existing_groups(admin):
    assert_error(admin.post("/messages/chatgroups", json={"to": ["1", "2", "3", "4"], "type": "txt",
                                                          "body": {"msg": "x"}}), 400, "illegal_argument")
    assert_error(admin.post("/messages/chatgroups", json={"to": ["999"], "type": "txt", "body": {"msg": "x"}}),
                 404, "service_resource_not_found")


def test_recall_within_the_window(admin, im_app):
    from tests.im.helpers import enable_feature

    enable_feature(im_app, "recall")
    msg_id = admin.post("/messages/users", json={"from": "user1", "to": ["user2"], "type": "txt",
                                                 "body": {"msg": "oops"}}).json()["data"]["user2"]
    response = admin.post("/messages/msg_recall", json={"msg_id": msg_id, "to": "user2", "from": "user1",
                                                        "chat_type": "chat", "force": True})
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"recalled": "yes", "chattype": "chat", "from": "user1", "to": "user2",
                                       "msg_id": msg_id}
    assert ImMessage.objects.get(msg_id=msg_id).recalled_at is not None
    again = admin.post("/messages/msg_recall", json={"msg_id": msg_id, "to": "user2", "chat_type": "chat"})
    assert_error(again, 404, "service_resource_not_found")


def test_recall_of_an_unknown_message_is_an_error(admin, im_app):
    from tests.im.helpers import enable_feature

    enable_feature(im_app, "recall")
    response = admin.post("/messages/msg_recall", json={"msg_id": "1", "to": "user2", "chat_type": "chat"})
    assert assert_error(response, 404, "service_resource_not_found")["error_description"] == "not_found msg"


def test_recall_while_the_feature_is_off_is_unopened(admin):
    response = admin.post("/messages/msg_recall", json={"msg_id": "1", "to": "user2", "chat_type": "chat"})
    body = assert_error(response, 403, "forbidden_op")
    assert body["error_description"] == "message recall service is unopened"


def test_retention_purges_messages_older_than_the_plans_storage_days(admin, im_app):
    import datetime as dt

    from django.utils import timezone

    from apps.im.services.retention import messages_purge
    from apps.im.tasks import purge_expired_messages
    from tests.applications.factories import AppFactory
    from tests.orders.factories import app_on_plan

    pro_app = AppFactory()
    app_on_plan(pro_app, "pro")  # 7 days; Free keeps 3
    now = timezone.now()

    def message(app, days_old, msg_id):
        return ImMessage.objects.create(app=app, msg_id=msg_id, from_user="a", to="b", chat_type="chat",
                                        msg_type="txt", body={"msg": "x"}, sent_at=now - dt.timedelta(days=days_old))

    message(im_app, 2, "1"), message(im_app, 4, "2"), message(pro_app, 4, "3"), message(pro_app, 8, "4")
    assert messages_purge(now=now) == 2
    assert sorted(ImMessage.objects.values_list("msg_id", flat=True)) == ["1", "3"]
    assert purge_expired_messages() == 0
