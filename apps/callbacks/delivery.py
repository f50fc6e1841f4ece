"""Sending a rule's test event (the Celery task's work): the payload, the SSRF guard again, the signed POST and
its retry, the delivery rows. Services queue it through apps.callbacks.tasks; nothing here imports services."""

import time
import uuid

from django.utils import timezone

from apps.callbacks import guard, sender
from apps.callbacks.models import CallbackDelivery, CallbackRule

DELIVERIES_KEPT = 100  # per rule; the pages show the last 20


def test_payload(*, rule: CallbackRule, call_id: str, message_id: str, timestamp_ms: int) -> dict:
    """A sample message event shaped like Easemob's callbacks (``security`` is added when signing)."""
    chat_type = rule.chat_types[0] if rule.chat_types else "chat"
    message_type = rule.message_types[0] if rule.message_types else "txt"
    body = {"type": message_type}
    if message_type == "txt":
        body["msg"] = "Hello from the console: this is a test event."
    elif message_type == "cmd":
        body["action"] = "console_test"
    elif message_type == "loc":
        body.update({"addr": "Beijing", "lat": 39.9042, "lng": 116.4074})
    elif message_type == "custom":
        body.update({"customEvent": "console_test", "customExts": {}})
    else:
        body.update({"url": f"https://example.com/sample.{message_type}", "filename": f"sample.{message_type}"})
    to = "console-test-group" if chat_type != "chat" else "console-test-receiver"
    return {
        "callId": call_id,
        "eventType": "chat" if rule.kind == CallbackRule.Kind.POST_SEND else "chat_pre_send",
        "chat_type": chat_type,
        "host": "console",
        "appkey": rule.app.app_key,
        "from": "console-test-sender",
        "to": to,
        "msg_id": message_id,
        "timestamp": timestamp_ms,
        "payload": {"bodies": [body], "ext": {"console_test": True}, "from": "console-test-sender", "to": to,
                    "type": chat_type},
        "test": True,
    }


def callback_test_deliver(*, rule: CallbackRule, delivery_id: str | None = None,
                          timeout: float = sender.TIMEOUT_SECONDS) -> list[CallbackDelivery]:
    """Send the test event: the SSRF guard again (the address it validated is the one connected to), then one
    POST and, on a non-200 answer or a connection error, one immediate retry with the same signature. Each
    attempt writes a delivery row. No transaction is held open over the network."""
    delivery_id = delivery_id or f"msg_{uuid.uuid4().hex}"
    timestamp_ms = int(time.time() * 1000)
    call_id = f"{rule.app.app_key}_{delivery_id}"
    payload = test_payload(rule=rule, call_id=call_id, message_id=delivery_id, timestamp_ms=timestamp_ms)
    payload["security"] = sender.easemob_security(call_id=call_id, secret=rule.secret, timestamp=timestamp_ms)
    body, headers = sender.signed_request(payload=payload, secret=rule.secret, message_id=delivery_id,
                                          timestamp=timestamp_ms // 1000)
    try:
        target = guard.check_target(rule.url)
    except guard.TargetRefused as exc:
        rows = [CallbackDelivery.objects.create(rule=rule, delivery_id=delivery_id, attempt=1, url=rule.url,
                                                error=f"Refused by the SSRF guard: {exc.message}"[:255])]
        _prune_deliveries(rule)
        return rows
    rows = []
    for attempt in (1, 2):
        attempted_at = timezone.now()
        answer = sender.post_json(target, body=body, headers=headers, timeout=timeout)
        rows.append(CallbackDelivery.objects.create(
            rule=rule, delivery_id=delivery_id, attempt=attempt, attempted_at=attempted_at, url=rule.url,
            address=str(target.address), status_code=answer.status_code, ok=answer.ok, error=answer.error,
            latency_ms=answer.latency_ms, response_excerpt=answer.excerpt,
        ))
        if answer.ok:
            break
    _prune_deliveries(rule)
    return rows


def _prune_deliveries(rule: CallbackRule) -> None:
    """Keep the newest DELIVERIES_KEPT attempts of the rule so the log cannot grow without bound."""
    recent = CallbackDelivery.objects.filter(rule=rule).order_by("-attempted_at", "-id")
    older = list(recent.values_list("id", flat=True)[DELIVERIES_KEPT:])
    if older:
        CallbackDelivery.objects.filter(id__in=older).delete()
