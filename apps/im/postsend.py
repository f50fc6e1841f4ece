"""Post-send callbacks (SPEC §11): after a message is stored, every enabled post-send rule of the app whose
chat types and message types match it is told, by Celery, once the transaction commits.

The request is Easemob's post-send callback (``callback_postsending.md``): ``callId``, ``eventType`` ``chat``,
``timestamp``, ``chat_type``, ``group_id`` (group messages), ``from``, ``to``, ``msg_id``, ``payload`` in the
message-history shape (``bodies``, ``ext``, ``from``, ``to``, ``type``), ``securityVersion`` and ``security`` =
MD5(callId + secret + timestamp); it is also signed with the Standard Webhooks headers, like the test events.
A non-200 answer or a network error is retried once at once (as Easemob does); every attempt is a row of the
rule's delivery log (event ``chat``).
"""

import time
import uuid

from django.db import transaction
from django.utils import timezone

from apps.callbacks import guard, sender
from apps.callbacks.delivery import _prune_deliveries
from apps.callbacks.models import CallbackDelivery, CallbackRule
from apps.im.callback_rules import callback_snapshot
from apps.im.types import OutgoingMessage

EVENT = "chat"
ATTEMPTS = 2


def message_data(message: OutgoingMessage) -> dict:
    """The message as plain JSON for the task (Celery's JSON serializer)."""
    return {"msg_id": message.msg_id, "from_user": message.from_user, "to": list(message.to),
            "chat_type": message.chat_type, "msg_type": message.msg_type, "body": message.body,
            "ext": message.ext, "timestamp_ms": message.timestamp_ms, "group_id": message.group_id}


def message_from_data(data: dict) -> OutgoingMessage:
    return OutgoingMessage(**{**data, "to": tuple(data["to"])})


def postsend_payload(*, app_key: str, message: OutgoingMessage, call_id: str) -> dict:
    """Easemob's post-send request body, without ``security``."""
    to = ",".join(message.to)
    body = {"type": message.msg_type, **message.body}
    payload = {
        "callId": call_id,
        "eventType": EVENT,
        "timestamp": message.timestamp_ms,
        "chat_type": message.chat_type,
        "from": message.from_user,
        "to": to,
        "msg_id": message.msg_id,
        "payload": {"bodies": [body], "ext": message.ext or {}, "from": message.from_user, "to": to,
                    "type": message.chat_type},
        "securityVersion": "1.0.0",
    }
    if message.chat_type == "groupchat":
        payload["group_id"] = message.group_id or (message.to[0] if message.to else "")
    return payload


def schedule_postsend(*, app, message: OutgoingMessage) -> None:
    """Queue the message's post-send deliveries for when the current transaction commits (at once outside
    one). No query when the snapshot is cached, nothing queued when no rule matches."""
    from apps.im.callback_tasks import deliver_postsend

    snapshot = callback_snapshot(app=app)
    rules = snapshot.matching(CallbackRule.Kind.POST_SEND, chat_type=message.chat_type, msg_type=message.msg_type)
    if not rules:
        return
    rule_ids = [rule.id for rule in rules]
    data = message_data(message)
    # A short argsrepr spares Celery a safe repr of the whole message on every publish (the request path).
    summary = f"rules {rule_ids}, message {message.msg_id}"
    transaction.on_commit(lambda: deliver_postsend.apply_async((rule_ids, data), argsrepr=summary, kwargsrepr=""),
                          robust=True)


def postsend_deliver(*, rule: CallbackRule, message: OutgoingMessage,
                     timeout: float = sender.TIMEOUT_SECONDS) -> list[CallbackDelivery]:
    """Send the message's post-send callback to one rule: the SSRF guard, then a POST and, on failure, one
    immediate retry with the same signature. Each attempt is a delivery row; no transaction over the network."""
    app_key = rule.app.app_key
    delivery_id = uuid.uuid4().hex
    call_id = f"{app_key}_{delivery_id}"
    payload = postsend_payload(app_key=app_key, message=message, call_id=call_id)
    payload["security"] = sender.easemob_security(call_id=call_id, secret=rule.secret,
                                                  timestamp=message.timestamp_ms)
    body, headers = sender.signed_request(payload=payload, secret=rule.secret, message_id=delivery_id,
                                          timestamp=int(time.time()))
    try:
        target = guard.check_target(rule.url)
    except guard.TargetRefused as exc:
        rows = [CallbackDelivery.objects.create(rule=rule, delivery_id=delivery_id, event=EVENT, attempt=1,
                                                url=rule.url,
                                                error=f"Refused by the SSRF guard: {exc.message}"[:255])]
        _prune_deliveries(rule)
        return rows
    rows = []
    for attempt in range(1, ATTEMPTS + 1):
        attempted_at = timezone.now()
        answer = sender.post_json(target, body=body, headers=headers, timeout=timeout)
        rows.append(CallbackDelivery.objects.create(
            rule=rule, delivery_id=delivery_id, event=EVENT, attempt=attempt, attempted_at=attempted_at,
            url=rule.url, address=str(target.address), status_code=answer.status_code, ok=answer.ok,
            error=answer.error, latency_ms=answer.latency_ms, response_excerpt=answer.excerpt,
        ))
        if answer.ok:
            break
    _prune_deliveries(rule)
    return rows
