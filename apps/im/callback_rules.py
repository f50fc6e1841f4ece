"""The callback rules that apply to an app's messages, cached per process so a send costs no query.

A snapshot holds whether callbacks apply at all (the feature is in the app's plan AND switched on) and the
app's enabled rules as plain values. It is dropped when a rule, the app's feature switches or its orders change
(signals, in this process, at once and again when the transaction commits), and expires after
``SNAPSHOT_TTL_SECONDS`` so other processes (gunicorn workers) see a change within that time.
"""

import threading
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.callbacks.models import CallbackRule
from apps.features.models import AppFeature
from apps.features.selectors import feature_is_on
from orders.models import Order, OrderLine

FEATURE_CODE = "callbacks"
SNAPSHOT_TTL_SECONDS = 5.0


@dataclass(frozen=True)
class RuleView:
    id: int
    name: str
    kind: str
    url: str
    chat_types: frozenset
    message_types: frozenset
    wait_ms: int
    on_failure: str
    secret: str

    def matches(self, *, chat_type: str, msg_type: str) -> bool:
        return chat_type in self.chat_types and msg_type in self.message_types


@dataclass(frozen=True)
class Snapshot:
    active: bool
    app_key: str
    pre_send: tuple[RuleView, ...]
    post_send: tuple[RuleView, ...]

    def matching(self, kind: str, *, chat_type: str, msg_type: str) -> list[RuleView]:
        if not self.active:
            return []
        rules = self.pre_send if kind == CallbackRule.Kind.PRE_SEND else self.post_send
        return [rule for rule in rules if rule.matches(chat_type=chat_type, msg_type=msg_type)]


_lock = threading.Lock()
_snapshots: dict[int, tuple[float, Snapshot]] = {}


def _entitled(app) -> bool:
    try:
        from orders.entitlements import app_entitlements
    except ImportError:  # the gate module lands with the lead's branch; same API
        from apps.plans.selectors import app_entitlements
    return app_entitlements(app=app).includes(FEATURE_CODE)


def _load(app) -> Snapshot:
    active = feature_is_on(app=app, code=FEATURE_CODE) and _entitled(app)
    pre, post = [], []
    if active:
        for rule in CallbackRule.objects.filter(app_id=app.pk, enabled=True).order_by("created_at", "id"):
            view = RuleView(id=rule.pk, name=rule.name, kind=rule.kind, url=rule.url,
                            chat_types=frozenset(rule.chat_types), message_types=frozenset(rule.message_types),
                            wait_ms=rule.wait_ms, on_failure=rule.on_failure, secret=rule.secret)
            (pre if rule.kind == CallbackRule.Kind.PRE_SEND else post).append(view)
    return Snapshot(active=active, app_key=app.app_key, pre_send=tuple(pre), post_send=tuple(post))


def callback_snapshot(*, app, now: float | None = None) -> Snapshot:
    now = time.monotonic() if now is None else now
    cached = _snapshots.get(app.pk)
    if cached and cached[0] > now:
        return cached[1]
    snapshot = _load(app)
    with _lock:
        _snapshots[app.pk] = (now + SNAPSHOT_TTL_SECONDS, snapshot)
    return snapshot


def forget(app_id: int | None) -> None:
    """Drop the app's snapshot now and once more when the current transaction commits (a read in between
    could have cached the state before the change)."""
    if app_id is None:
        return
    with _lock:
        _snapshots.pop(app_id, None)

    def again():
        with _lock:
            _snapshots.pop(app_id, None)

    transaction.on_commit(again)


def forget_all() -> None:
    with _lock:
        _snapshots.clear()


def _on_app_change(sender, instance, **kwargs):
    forget(getattr(instance, "app_id", None))


def _on_order_line_change(sender, instance, **kwargs):
    order = Order.objects.filter(pk=instance.order_id).values_list("app_id", flat=True).first()
    forget(order)


for _model in (CallbackRule, AppFeature, Order):
    post_save.connect(_on_app_change, sender=_model, dispatch_uid=f"im-callback-snapshot-save-{_model.__name__}")
    post_delete.connect(_on_app_change, sender=_model, dispatch_uid=f"im-callback-snapshot-del-{_model.__name__}")
post_save.connect(_on_order_line_change, sender=OrderLine, dispatch_uid="im-callback-snapshot-save-line")
