"""REST handlers (SPEC §11), thin: read the call, run one service, shape Easemob's response."""

from apps.im.errors import IllegalArgument, Unauthorized
from apps.im.models import ImGroup, ImGroupMember, ImUser, ServiceSettings
from apps.im.rest import Call
from apps.im.selectors import service_settings_for
from apps.im.services import auth, groups, messages, users


def _ms(moment) -> int:
    return int(moment.timestamp() * 1000)


def user_entity(user: ImUser) -> dict:
    entity = {
        "uuid": str(user.uuid),
        "type": "user",
        "created": _ms(user.created),
        "modified": _ms(user.modified),
        "username": user.username,
        "activated": user.activated,
    }
    if user.nickname:
        entity["nickname"] = user.nickname
    return entity


def _object(call: Call) -> dict:
    if not isinstance(call.data, dict):
        raise IllegalArgument("this is an invalid request.")
    return call.data


# --- token ----------------------------------------------------------------------------------------------------
def token(call: Call) -> dict:
    data = _object(call)
    grant = data.get("grant_type")
    if grant == "client_credentials":
        issued = auth.token_for_client(app=call.app, client_id=data.get("client_id"),
                                       client_secret=data.get("client_secret"), ttl=data.get("ttl"))
        return {"access_token": issued.access_token, "expires_in": issued.expires_in,
                "application": str(call.app.uuid)}
    if grant == "password":
        issued = auth.token_for_user(app=call.app, username=data.get("username"), password=data.get("password"),
                                     ttl=data.get("ttl"))
        return {"access_token": issued.access_token, "expires_in": issued.expires_in,
                "user": user_entity(issued.user)}
    raise IllegalArgument("grant_type must be client_credentials or password", error="unsupported_grant_type")


# --- users ----------------------------------------------------------------------------------------------------
def users_register(call: Call) -> dict:
    if call.principal is None:
        mode = service_settings_for(app=call.app).registration_mode
        if mode != ServiceSettings.RegistrationMode.OPEN:
            raise Unauthorized("registration is not open, please contact the app admin")
    if not isinstance(call.data, dict | list):
        raise IllegalArgument("this is an invalid request.")
    created = users.users_register(app=call.app, entries=call.data)
    return call.envelope("post", entities=[user_entity(user) for user in created], data=[])


def users_list(call: Call) -> dict:
    params = call.request.GET
    page, cursor = users.users_page(app=call.app, limit=params.get("limit"), cursor=params.get("cursor"))
    body = {"entities": [user_entity(user) for user in page], "count": len(page)}
    if params.get("limit"):
        body["params"] = {"limit": [params["limit"]]}
    if cursor:
        body["cursor"] = cursor
    return call.envelope("get", **body)


def user_get(call: Call, username: str) -> dict:
    if not call.principal.is_app and call.principal.user.username != username.lower():
        raise Unauthorized("Unable to authenticate: a user token reads only its own user")
    user = users.user_get(app=call.app, username=username)
    return call.envelope("get", entities=[user_entity(user)], count=1)


def user_delete(call: Call, username: str) -> dict:
    user = users.user_delete(app=call.app, username=username)
    return call.envelope("delete", entities=[user_entity(user)])


def user_password(call: Call, username: str) -> dict:
    users.user_password_change(app=call.app, username=username, newpassword=_object(call).get("newpassword"))
    return {"action": "set user password", **_times(call)}


def user_deactivate(call: Call, username: str) -> dict:
    user = users.user_set_activated(app=call.app, username=username, activated=False)
    return {"action": "Deactivate user", "entities": [user_entity(user)], **_times(call)}


def user_activate(call: Call, username: str) -> dict:
    users.user_set_activated(app=call.app, username=username, activated=True)
    return {"action": "activate user", **_times(call)}


def user_disconnect(call: Call, username: str) -> dict:
    users.user_disconnect(app=call.app, username=username)
    return call.envelope("get", entities=[], data={"result": True}, count=0)


def _times(call: Call) -> dict:
    envelope = call.envelope("")
    return {"timestamp": envelope["timestamp"], "duration": envelope["duration"]}


# --- groups ---------------------------------------------------------------------------------------------------
def group_create(call: Call) -> dict:
    group = groups.group_create(app=call.app, data=_object(call))
    return call.envelope("post", entities=[], data={"groupid": group.group_id})


def _group_detail(group: ImGroup) -> dict:
    return {
        "id": group.group_id,
        "name": group.name,
        "description": group.description,
        "membersonly": False,
        "allowinvites": False,
        "maxusers": group.maxusers,
        "owner": group.owner.username,
        "created": _ms(group.created),
        "custom": "",
        "mute": False,
        "affiliations_count": group.member_count,
        "disabled": False,
        "public": group.public,
        "permission": "owner",
    }


def group_get(call: Call, group_id: str) -> dict:
    group = groups.group_get(app=call.app, group_id=group_id)
    return call.envelope("get", data=[_group_detail(group)], count=1)


def group_delete(call: Call, group_id: str) -> dict:
    group = groups.group_delete(app=call.app, group_id=group_id)
    return call.envelope("delete", entities=[], data={"success": True, "groupid": group.group_id})


def group_members(call: Call, group_id: str) -> dict:
    params = call.request.GET
    rows = groups.group_members_page(app=call.app, group_id=group_id, pagenum=params.get("pagenum"),
                                     pagesize=params.get("pagesize"))
    data = [
        {"owner": row.user.username} if row.role == ImGroupMember.Role.OWNER else {"member": row.user.username}
        for row in rows
    ]
    body = {"entities": [], "data": data, "count": len(data)}
    if params.get("pagenum") or params.get("pagesize"):
        body["params"] = {key: [params[key]] for key in ("pagesize", "pagenum") if key in params}
    return call.envelope("get", **body)


def group_members_add(call: Call, group_id: str) -> dict:
    added = groups.group_members_add(app=call.app, group_id=group_id, usernames=_object(call).get("usernames"))
    return call.envelope("post", entities=[], data={"newmembers": [user.username for user in added],
                                                    "groupid": group_id, "action": "add_member"})


def group_member_add(call: Call, group_id: str, username: str) -> dict:
    added = groups.group_members_add(app=call.app, group_id=group_id, usernames=[username])
    return call.envelope("post", entities=[], data={"result": True, "groupid": group_id, "action": "add_member",
                                                    "user": added[0].username})


def group_member_remove(call: Call, group_id: str, username: str) -> dict:
    user = groups.group_member_remove(app=call.app, group_id=group_id, username=username)
    return call.envelope("delete", entities=[], data={"result": True, "action": "remove_member",
                                                      "user": user.username, "groupid": group_id})


def user_joined_groups(call: Call, username: str) -> dict:
    params = call.request.GET
    rows = groups.user_groups_page(app=call.app, username=username, pagenum=params.get("pagenum"),
                                   pagesize=params.get("pagesize"))
    data = [{"groupid": group.group_id, "groupname": group.name} for group in rows]
    body = {"entities": [], "data": data, "count": len(data), "properties": {}}
    if params.get("pagenum") or params.get("pagesize"):
        body["params"] = {key: [params[key]] for key in ("pagesize", "pagenum") if key in params}
    return call.envelope("get", **body)


# --- messages -------------------------------------------------------------------------------------------------
def messages_users(call: Call) -> dict:
    return call.envelope("post", data=messages.message_send(app=call.app, chat_type=messages.CHAT, data=call.data))


def messages_groups(call: Call) -> dict:
    return call.envelope("post", data=messages.message_send(app=call.app, chat_type=messages.GROUPCHAT,
                                                            data=call.data))


def message_recall(call: Call) -> dict:
    message = messages.message_recall(app=call.app, data=call.data)
    return call.envelope("post", data={"recalled": "yes", "chattype": message.chat_type,
                                       "from": _object(call).get("from", "admin"), "to": message.to,
                                       "msg_id": message.msg_id})
