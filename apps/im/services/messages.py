"""Sending and recalling messages. A message goes through the sensitive word filter (when the feature is in the
plan and on) and the pre-send callback, is stored once per receiver, and after commit is handed to post-send."""

import json
import secrets
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.features.selectors import recall_settings_for
from apps.im import gate, metering
from apps.im.errors import ForbiddenOp, IllegalArgument, NotFound, TooLarge
from apps.im.models import ImGroup, ImMessage
from apps.im.postsend import schedule_postsend
from apps.im.presend import presend_verdict
from apps.im.types import OutgoingMessage
from apps.sensitive_words.matcher import BLOCK, Outcome
from apps.sensitive_words.selectors import message_check, sensitive_word_settings_for

MAX_USERS = 600
MAX_GROUPS = 3
MAX_BYTES = 5 * 1024
TYPES = ("txt", "custom")
CHAT = ImMessage.ChatType.CHAT
GROUPCHAT = ImMessage.ChatType.GROUPCHAT


def new_msg_id() -> str:
    """A 19-digit id like Easemob's: milliseconds since the epoch, then 22 random bits."""
    return str((int(time.time() * 1000) << 22) | secrets.randbits(22))


def _receivers(chat_type: str, to) -> tuple[str, ...]:
    limit = MAX_USERS if chat_type == CHAT else MAX_GROUPS
    if not isinstance(to, list) or not to or not all(isinstance(item, str) and item for item in to):
        raise IllegalArgument("to must be a non-empty list of " + ("user ids" if chat_type == CHAT else "group ids"))
    if len(to) > limit:
        raise IllegalArgument(f"to can hold at most {limit} receivers")
    return tuple(dict.fromkeys(item.lower() if chat_type == CHAT else item for item in to))


def _body(msg_type, body) -> dict:
    if msg_type not in TYPES:
        raise IllegalArgument("type must be txt or custom")
    if not isinstance(body, dict):
        raise IllegalArgument("body is required")
    if msg_type == "txt":
        if not isinstance(body.get("msg"), str):
            raise IllegalArgument("body.msg is required for a txt message")
        return {"msg": body["msg"]}
    event = body.get("customEvent")
    exts = body.get("customExts")
    if event is not None and not isinstance(event, str):
        raise IllegalArgument("body.customEvent must be a string")
    if exts is not None and not (isinstance(exts, dict) and all(isinstance(v, str) for v in exts.values())):
        raise IllegalArgument("body.customExts must be an object of strings")
    return {key: value for key, value in (("customEvent", event), ("customExts", exts)) if value is not None}


def _filtered(app, body: dict, msg_type: str) -> dict:
    """The body receivers get. Block: 403 and nothing stored; replace: each match becomes ***."""
    if msg_type != "txt" or not gate.feature_applies(app=app, code="sensitive_words"):
        return body
    settings = sensitive_word_settings_for(app=app)
    if not settings.enabled:
        return body
    verdict = message_check(app=app, text=body["msg"], settings=settings)
    if verdict.outcome == Outcome.PASSED:
        return body
    if settings.action == BLOCK:
        raise ForbiddenOp("the message contains sensitive words")
    return {**body, "msg": verdict.text}


def message_send(*, app, chat_type: str, data) -> dict[str, str]:
    """POST …/messages/users or …/messages/chatgroups. Returns {receiver: msg_id}."""
    if not isinstance(data, dict):
        raise IllegalArgument("this is an invalid request.")
    sender = data.get("from", "admin")
    if not isinstance(sender, str) or sender == "":
        raise IllegalArgument("from can't be empty")
    receivers = _receivers(chat_type, data.get("to"))
    msg_type = data.get("type")
    body = _body(msg_type, data.get("body"))
    ext = data.get("ext")
    if ext is not None and not isinstance(ext, dict):
        raise IllegalArgument("ext must be an object")
    size = len(json.dumps(body, ensure_ascii=False).encode()) + (
        len(json.dumps(ext, ensure_ascii=False).encode()) if ext else 0
    )
    if size > MAX_BYTES:
        raise TooLarge("Request Entity Too Large: body and ext are over 5 KB")
    if chat_type == GROUPCHAT:
        found = set(ImGroup.objects.filter(app=app, group_id__in=receivers).values_list("group_id", flat=True))
        missing = [group for group in receivers if group not in found]
        if missing:
            raise NotFound(f"group {missing[0]} doesn't exist", error="service_resource_not_found")
    delivered = _filtered(app, body, msg_type)
    now = timezone.now()
    timestamp_ms = int(now.timestamp() * 1000)
    msg_ids = [new_msg_id() for _receiver in receivers]
    # One pre-send verdict per request (the first receiver's id names it), not one HTTP call per receiver.
    verdict = presend_verdict(
        app=app,
        message=OutgoingMessage(msg_id=msg_ids[0], from_user=sender, to=receivers, chat_type=chat_type,
                                msg_type=msg_type, body=delivered, ext=ext, timestamp_ms=timestamp_ms,
                                group_id=receivers[0] if chat_type == GROUPCHAT else None),
    )
    if not verdict.allowed:
        raise ForbiddenOp(f"the message was refused by the pre-send callback: {verdict.reason}".rstrip(": "))
    rows = [
        ImMessage(app=app, msg_id=msg_id, from_user=sender, to=receiver, chat_type=chat_type,
                  msg_type=msg_type, body=delivered, ext=ext, sent_at=now)
        for receiver, msg_id in zip(receivers, msg_ids, strict=True)
    ]
    with transaction.atomic():
        ImMessage.objects.bulk_create(rows)
        for row in rows:  # each queues its deliveries for when this transaction commits
            schedule_postsend(app=app, message=OutgoingMessage(
                msg_id=row.msg_id, from_user=sender, to=(row.to,), chat_type=chat_type, msg_type=msg_type,
                body=delivered, ext=ext, timestamp_ms=timestamp_ms,
                group_id=row.to if chat_type == GROUPCHAT else None,
            ))
    # Usage: one message per receiver (each has its own id, as Easemob counts them); the sender is active unless
    # the call named none (Easemob's default sender "admin" is the app itself, not a user).
    metering.messages_sent(app_id=app.pk, count=len(rows), sender=sender if "from" in data else "")
    return {row.to: row.msg_id for row in rows}


def message_recall(*, app, data, now=None) -> ImMessage:
    """POST …/messages/msg_recall: within the app's REST recall time (console, message recall settings)."""
    if not gate.feature_applies(app=app, code="recall"):
        raise ForbiddenOp("message recall service is unopened")
    if not isinstance(data, dict):
        raise IllegalArgument("this is an invalid request.")
    msg_id, to, chat_type = data.get("msg_id"), data.get("to"), data.get("chat_type")
    if not isinstance(msg_id, str) or not msg_id:
        raise IllegalArgument("msg_id is required")
    if not isinstance(to, str) or not to:
        raise IllegalArgument("to is required")
    if chat_type not in (CHAT, GROUPCHAT):
        raise IllegalArgument("chat_type must be chat or groupchat")
    now = now or timezone.now()
    window = timedelta(seconds=recall_settings_for(app=app).rest_recall_seconds)
    with transaction.atomic():
        message = (
            ImMessage.objects.select_for_update()
            .filter(app=app, msg_id=msg_id, chat_type=chat_type, to=to.lower() if chat_type == CHAT else to,
                    recalled_at__isnull=True)
            .first()
        )
        if message is None:
            raise NotFound("not_found msg")
        if now - message.sent_at > window:
            raise ForbiddenOp("exceed recall time limit")
        message.recalled_at = now
        message.save(update_fields=["recalled_at"])
    return message
