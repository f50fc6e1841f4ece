"""What the console's IM users page does: each call is the REST service's own service plus an audit entry in
the same transaction. The entry names the IM user, never a password or a token."""

from django.db import transaction

from apps.audit.services import audit_app
from apps.im.models import ImMessage, ImUser
from apps.im.services import auth, messages, users


def _audit(app, actor, action: str, username: str, summary: str, **detail) -> None:
    audit_app(app=app, actor=actor, action=action, summary=summary, detail={"username": username, **detail})


@transaction.atomic
def console_user_create(*, app, actor, username: str, password: str, nickname: str = "") -> ImUser:
    [user] = users.users_register(app=app, entries={"username": username, "password": password,
                                                    "nickname": nickname})
    _audit(app, actor, "im.user_created", user.username, f"IM user {user.username} created")
    return user


@transaction.atomic
def console_user_set_activated(*, app, actor, username: str, activated: bool) -> ImUser:
    user = users.user_set_activated(app=app, username=username, activated=activated)
    action = "im.user_unbanned" if activated else "im.user_banned"
    _audit(app, actor, action, user.username, f"IM user {user.username} {'unbanned' if activated else 'banned'}")
    return user


@transaction.atomic
def console_user_disconnect(*, app, actor, username: str) -> ImUser:
    user = users.user_disconnect(app=app, username=username)
    _audit(app, actor, "im.user_logged_out", user.username, f"IM user {user.username} logged out")
    return user


@transaction.atomic
def console_user_password_reset(*, app, actor, username: str, newpassword: str) -> ImUser:
    user = users.user_password_change(app=app, username=username, newpassword=newpassword)
    _audit(app, actor, "im.user_password_reset", user.username, f"IM user {user.username}: password reset")
    return user


@transaction.atomic
def console_user_delete(*, app, actor, username: str) -> ImUser:
    user = users.user_delete(app=app, username=username)
    _audit(app, actor, "im.user_deleted", user.username, f"IM user {user.username} deleted")
    return user


@transaction.atomic
def console_user_token(*, app, actor, username: str) -> auth.IssuedToken:
    issued = auth.token_for_user_by_operator(app=app, user=users.user_get(app=app, username=username))
    _audit(app, actor, "im.user_token_issued", issued.user.username,
           f"A user token was issued to IM user {issued.user.username}", expires_in=issued.expires_in)
    return issued


def console_test_message(*, app, actor, sender: str, chat_type: str, to: str, text: str) -> list[ImMessage]:
    """Send a txt message from an existing IM user to a user or a group through the REST send service (sensitive
    words, the pre-send callback, storage, post-send and recall all apply). Returns the stored rows."""
    sender_user = users.user_get(app=app, username=sender)
    if chat_type == ImMessage.ChatType.CHAT:
        users.user_get(app=app, username=to)
    sent = messages.message_send(app=app, chat_type=chat_type, data={
        "from": sender_user.username, "to": [to], "type": "txt", "body": {"msg": text},
    })
    rows = list(ImMessage.objects.filter(app=app, msg_id__in=list(sent.values())))
    audit_app(app=app, actor=actor, action="im.test_message_sent",
              summary=f"Test message from IM user {sender_user.username} to {chat_type} {to}",
              detail={"username": sender_user.username, "receiver": to, "chat_type": chat_type,
                      "msg_ids": sorted(sent.values())})
    return rows


@transaction.atomic
def console_group_member_remove(*, app, actor, group_id: str, username: str) -> ImUser:
    from apps.im.services import groups

    user = groups.group_member_remove(app=app, group_id=group_id, username=username)
    audit_app(app=app, actor=actor, action="im.group_member_removed",
              summary=f"IM user {user.username} removed from group {group_id}",
              detail={"username": user.username, "group_id": group_id})
    return user


@transaction.atomic
def console_group_delete(*, app, actor, group_id: str):
    from apps.im.services import groups

    group = groups.group_delete(app=app, group_id=group_id)
    audit_app(app=app, actor=actor, action="im.group_deleted", summary=f"IM group {group_id} deleted",
              detail={"group_id": group_id, "name": group.name})
    return group
