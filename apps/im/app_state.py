"""Per-app values the send path reads on every message (the callback snapshot: whether callbacks apply and the
enabled rules), cached in this process so a send does not repeat the same queries. The app row and its
entitlements are cached by apps/im/appcache.py with the same rules.

An entry is dropped at once, in this process, when the app, its orders, order lines, feature switches or
callback rules change, and every entry when the plan catalog changes (signals; once more when the transaction
commits, since a read in between could have cached the old state). Entries expire after ``TTL_SECONDS``, so
the other processes (gunicorn workers, the Celery worker that activates orders) converge within that time;
changes made with ``QuerySet.update()`` (no signal) too.
"""

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
TTL_SECONDS = 2.0  # as apps/im/appcache.py

_lock = threading.Lock()
_entries: dict[tuple[int, str], tuple[float, object]] = {}


def cached(app_id: int, name: str, load: Callable[[], T], *, now: float | None = None) -> T:
    now = time.monotonic() if now is None else now
    entry = _entries.get((app_id, name))
    if entry is not None and entry[0] > now:
        return entry[1]
    value = load()
    with _lock:
        _entries[(app_id, name)] = (now + TTL_SECONDS, value)
    return value


def _drop(app_id: int) -> None:
    with _lock:
        for key in [key for key in _entries if key[0] == app_id]:
            del _entries[key]


def forget(app_id: int | None) -> None:
    if app_id is None:
        return
    _drop(app_id)
    transaction.on_commit(lambda: _drop(app_id))


def forget_all() -> None:
    with _lock:
        _entries.clear()


def _on_app_change(sender, instance, **kwargs):
    forget(getattr(instance, "app_id", None))


def _on_catalog_change(sender, **kwargs):
    forget_all()
    transaction.on_commit(forget_all)


def _on_app_saved_or_deleted(sender, instance, **kwargs):
    forget(instance.pk)  # also covers a new app reusing the id of a deleted one


def _on_order_line_change(sender, instance, **kwargs):
    from orders.models import Order

    forget(Order.objects.filter(pk=instance.order_id).values_list("app_id", flat=True).first())


def connect_signals() -> None:
    from apps.applications.models import App
    from apps.callbacks.models import CallbackRule
    from apps.features.models import AppFeature
    from apps.plans.models import Plan, PlanFeature
    from orders.models import Order, OrderLine

    for model in (CallbackRule, AppFeature, Order):
        post_save.connect(_on_app_change, sender=model, dispatch_uid=f"im-app-state-save-{model.__name__}")
        post_delete.connect(_on_app_change, sender=model, dispatch_uid=f"im-app-state-delete-{model.__name__}")
    post_save.connect(_on_app_saved_or_deleted, sender=App, dispatch_uid="im-app-state-save-App")
    post_delete.connect(_on_app_saved_or_deleted, sender=App, dispatch_uid="im-app-state-delete-App")
    for model in (Plan, PlanFeature):
        post_save.connect(_on_catalog_change, sender=model, dispatch_uid=f"im-app-state-save-{model.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(_on_order_line_change, sender=OrderLine, dispatch_uid=f"im-app-state-line-{id(signal)}")


connect_signals()
