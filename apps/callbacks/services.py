"""Writes of callback rules and their test deliveries. Each change writes an audit entry in the same
transaction; the test event goes to Celery once the transaction commits."""

import datetime as dt
import secrets
import time
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications.models import App
from apps.audit.services import audit_app
from apps.callbacks import guard, sender
from apps.callbacks.exceptions import CallbackRulesFull, TestEventTooSoon
from apps.callbacks.models import WAIT_MS_DEFAULT, CallbackDelivery, CallbackRule
from apps.plans.models import CatalogSettings
from orders.entitlements import require_feature

DELIVERIES_KEPT = 100  # per rule; the pages show the last 20
RULE_FIELDS = ("name", "kind", "url", "chat_types", "message_types", "enabled", "wait_ms", "on_failure")
SECRET_BYTES = 32


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def _name_taken() -> ValidationError:
    return ValidationError({"name": _("This app already has a rule with this name.")})


def _check_url(url: str) -> None:
    try:
        guard.check_target(url)
    except guard.TargetRefused as exc:
        raise ValidationError({"url": exc.message}) from exc


def _normalised(fields: dict) -> dict:
    fields = {**fields, "name": fields["name"].strip(), "url": fields["url"].strip()}
    if fields["kind"] != CallbackRule.Kind.PRE_SEND:
        # Wait time and failure policy mean nothing after the message is sent: keep the defaults.
        fields["wait_ms"], fields["on_failure"] = WAIT_MS_DEFAULT, CallbackRule.OnFailure.PASS
    return fields


def _detail(rule: CallbackRule) -> dict:
    return {"name": rule.name, "kind": rule.kind, "url": rule.url}


@transaction.atomic
def callback_rule_create(
    *, app: App, actor, name: str, kind: str, url: str, chat_types: list[str], message_types: list[str],
    enabled: bool = True, wait_ms: int = WAIT_MS_DEFAULT, on_failure: str = CallbackRule.OnFailure.PASS,
) -> tuple[CallbackRule, str]:
    """Add a rule with a fresh secret; returns (rule, secret) so the secret can be shown once.

    The app row is locked, so two concurrent creates cannot both pass ``callback_rules_max``; the unique
    constraint backs the name check. The URL passes the SSRF guard (ValidationError on "url" otherwise),
    resolved before the lock is taken so a slow DNS answer does not hold it."""
    require_feature(app=app, code="callbacks")
    fields = _normalised({"name": name, "kind": kind, "url": url, "chat_types": chat_types,
                          "message_types": message_types, "enabled": enabled, "wait_ms": wait_ms,
                          "on_failure": on_failure})
    _check_url(fields["url"])
    App.objects.select_for_update().only("pk").get(pk=app.pk)
    limit = CatalogSettings.load().callback_rules_max
    if CallbackRule.objects.filter(app=app).count() >= limit:
        raise CallbackRulesFull(limit)
    if CallbackRule.objects.filter(app=app, name=fields["name"]).exists():
        raise _name_taken()
    secret = new_secret()
    now = timezone.now()
    rule = CallbackRule(app=app, secret=secret, secret_rotated_at=now, created_at=now, updated_at=now,
                        created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    rule.full_clean(validate_constraints=False)  # name: checked above under the lock, and by the database
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:
        raise _name_taken() from exc
    audit_app(app=app, actor=actor, action="callbacks.rule_created",
              summary=f"Callback rule {rule.name} created ({rule.kind}, {rule.url})"[:255], detail=_detail(rule))
    return rule, secret


@transaction.atomic
def callback_rule_update(*, rule: CallbackRule, actor, **changes) -> tuple[CallbackRule, bool]:
    """Change a rule's settings (not its secret). Returns (rule, changed); no change writes no audit entry.
    A changed URL passes the SSRF guard again; an unchanged one is not re-resolved, so a rule whose host
    went away can still be edited or turned off."""
    require_feature(app=rule.app, code="callbacks")
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"callback_rule_update() cannot change {', '.join(sorted(unknown))}")
    if "url" in changes and changes["url"].strip() != rule.url:
        _check_url(changes["url"].strip())  # before the lock: DNS may be slow
    rule = CallbackRule.objects.select_for_update().select_related("app__organization").get(pk=rule.pk)
    fields = _normalised({**{field: getattr(rule, field) for field in RULE_FIELDS}, **changes})
    changed = sorted(field for field in RULE_FIELDS if getattr(rule, field) != fields[field])
    if not changed:
        return rule, False
    if "name" in changed and CallbackRule.objects.filter(app=rule.app, name=fields["name"]).exists():
        raise _name_taken()
    for field in changed:
        setattr(rule, field, fields[field])
    rule.updated_at = timezone.now()
    rule.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            rule.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as exc:
        raise _name_taken() from exc
    audit_app(app=rule.app, actor=actor, action="callbacks.rule_updated",
              summary=f"Callback rule {rule.name} changed: {', '.join(changed)}"[:255],
              detail={**_detail(rule), "fields": changed})
    return rule, True


@transaction.atomic
def callback_rule_delete(*, rule: CallbackRule, actor) -> bool:
    """Remove a rule and its delivery log. False (and nothing written) when it was already gone."""
    require_feature(app=rule.app, code="callbacks")
    deleted, _by_model = CallbackRule.objects.filter(pk=rule.pk).delete()
    if not deleted:
        return False
    audit_app(app=rule.app, actor=actor, action="callbacks.rule_deleted",
              summary=f"Callback rule {rule.name} deleted"[:255], detail=_detail(rule))
    return True


@transaction.atomic
def callback_secret_rotate(*, rule: CallbackRule, actor) -> tuple[CallbackRule, str]:
    """Replace the rule's secret; the old one stops signing at once. Returns (rule, new secret)."""
    require_feature(app=rule.app, code="callbacks")
    rule = CallbackRule.objects.select_for_update().select_related("app__organization").get(pk=rule.pk)
    secret = new_secret()
    rule.secret = secret
    rule.secret_rotated_at = rule.updated_at = timezone.now()
    rule.save(update_fields=["secret", "secret_rotated_at", "updated_at"])
    audit_app(app=rule.app, actor=actor, action="callbacks.secret_rotated",
              summary=f"Secret of callback rule {rule.name} rotated"[:255], detail=_detail(rule))
    return rule, secret


TEST_EVENT_INTERVAL_SECONDS = 10


@transaction.atomic
def callback_test_send(*, rule: CallbackRule, actor, now: dt.datetime | None = None) -> str:
    """Queue a test event for the rule (Celery, after commit). Returns the delivery ID its attempts share.
    At most one per TEST_EVENT_INTERVAL_SECONDS per rule (a conditional update claims the slot, so two
    clicks at once queue one); TestEventTooSoon otherwise."""
    require_feature(app=rule.app, code="callbacks")
    from apps.callbacks.tasks import deliver_test_event

    now = now or timezone.now()
    since = now - dt.timedelta(seconds=TEST_EVENT_INTERVAL_SECONDS)
    free = Q(test_queued_at__isnull=True) | Q(test_queued_at__lte=since)
    if not CallbackRule.objects.filter(free, pk=rule.pk).update(test_queued_at=now):
        raise TestEventTooSoon(TEST_EVENT_INTERVAL_SECONDS)
    delivery_id = f"msg_{uuid.uuid4().hex}"
    audit_app(app=rule.app, actor=actor, action="callbacks.test_sent",
              summary=f"Test event queued for callback rule {rule.name}"[:255],
              detail={**_detail(rule), "delivery_id": delivery_id})
    rule_id = rule.pk
    transaction.on_commit(lambda: deliver_test_event.delay(rule_id, delivery_id), robust=True)
    return delivery_id


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
