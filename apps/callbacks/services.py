"""Writes of callback rules and their test deliveries. Each change writes an audit entry in the same
transaction; a test event is handed to Celery within the request and audited once the broker took it."""

import datetime as dt
import logging
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.applications.models import App
from apps.audit.services import audit_app
from apps.callbacks import guard
from apps.callbacks.exceptions import CallbackRulesFull, TestEventNotQueued, TestEventTooSoon
from apps.callbacks.models import WAIT_MS_DEFAULT, CallbackRule
from apps.callbacks.tasks import deliver_test_event
from apps.plans.models import CatalogSettings
from orders.entitlements import require_feature

logger = logging.getLogger(__name__)

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


def _publish_test_event(rule_id: int, delivery_id: str) -> None:
    """Hand the task to the broker on a connection of its own (the broker URL as configured now), without
    Celery's publish retries: an unreachable broker fails within the connect timeout."""
    celery_app = deliver_test_event.app
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0,
                                     timeout=celery_app.conf.broker_connection_timeout)
        deliver_test_event.apply_async((rule_id, delivery_id), connection=connection, retry=False)


def callback_test_send(*, rule: CallbackRule, actor, now: dt.datetime | None = None) -> str:
    """Queue a test event for the rule. Returns the delivery ID its attempts share. At most one per
    TEST_EVENT_INTERVAL_SECONDS per rule (a conditional update claims the slot, so two clicks at once queue
    one); TestEventTooSoon otherwise.

    The event is handed to the broker inside the request, and only once the broker took it is the audit entry
    written; when the broker is unreachable the slot is given back and TestEventNotQueued says so, so nothing
    claims a test that will never run."""
    require_feature(app=rule.app, code="callbacks")
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=TEST_EVENT_INTERVAL_SECONDS)
    free = Q(test_queued_at__isnull=True) | Q(test_queued_at__lte=since)
    previous = CallbackRule.objects.filter(pk=rule.pk).values_list("test_queued_at", flat=True).first()
    if not CallbackRule.objects.filter(free, pk=rule.pk).update(test_queued_at=now):
        raise TestEventTooSoon(TEST_EVENT_INTERVAL_SECONDS)
    delivery_id = f"msg_{uuid.uuid4().hex}"
    try:
        _publish_test_event(rule.pk, delivery_id)
    except Exception as exc:  # kombu/redis/OS errors alike: the broker did not take it
        CallbackRule.objects.filter(pk=rule.pk, test_queued_at=now).update(test_queued_at=previous)
        logger.warning("Test event of callback rule %s not queued: %s", rule.pk, type(exc).__name__)
        raise TestEventNotQueued() from exc
    audit_app(app=rule.app, actor=actor, action="callbacks.test_sent",
              summary=f"Test event queued for callback rule {rule.name}"[:255],
              detail={**_detail(rule), "delivery_id": delivery_id})
    return delivery_id
