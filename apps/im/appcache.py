"""The app a REST call names, cached per process for ``TTL_SECONDS`` so that a call does not look up the app,
its plan, add-ons and feature switches again each time (the row and its memoised entitlements, see gate.py).

A change made in this process (the console pages, the order activation job) drops the entry at once and again
when its transaction commits (signals on App, AppFeature, Order, OrderLine and the catalog rows); other
processes (gunicorn workers, Celery) see it within ``TTL_SECONDS``. The REST IP whitelist, the word list and
the IM data are read per call, never from here."""

import threading
import time

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.applications.models import App
from apps.features.models import AppFeature
from apps.plans.models import AddOn, Feature, Plan, PlanFeature
from orders.models import Order, OrderLine

TTL_SECONDS = 2.0

_lock = threading.Lock()
_apps: dict[tuple[str, str], tuple[float, App]] = {}


def cached_app(org_name: str, app_name: str, load) -> App | None:
    """The active app ``org_name/app_name`` (``load()`` on a miss; None when there is none, not cached)."""
    key = (org_name, app_name)
    now = time.monotonic()
    entry = _apps.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    app = load()
    if app is not None:
        with _lock:
            _apps[key] = (now + TTL_SECONDS, app)
    return app


def forget_app(app_id: int | None) -> None:
    def drop():
        with _lock:
            for key in [key for key, (_expiry, app) in _apps.items() if app_id is None or app.pk == app_id]:
                _apps.pop(key, None)

    drop()
    transaction.on_commit(drop)  # a read between the change and its commit could have cached the old state


def forget_all() -> None:
    with _lock:
        _apps.clear()


def _on_app(sender, instance, **kwargs):
    forget_app(instance.pk)
    with _lock:  # a new app under the name of one deleted before (tests reuse names)
        for key in [key for key in _apps if key[1] == instance.name]:
            _apps.pop(key, None)


def _on_app_child(sender, instance, **kwargs):
    forget_app(getattr(instance, "app_id", None))


def _on_order_line(sender, instance, **kwargs):
    forget_app(Order.objects.filter(pk=instance.order_id).values_list("app_id", flat=True).first())


def _on_catalog(sender, instance, **kwargs):
    forget_app(None)


for _signal in (post_save, post_delete):
    _signal.connect(_on_app, sender=App, dispatch_uid=f"im-appcache-app-{_signal is post_save}")
    for _model in (AppFeature, Order):
        _signal.connect(_on_app_child, sender=_model,
                        dispatch_uid=f"im-appcache-{_model.__name__}-{_signal is post_save}")
    _signal.connect(_on_order_line, sender=OrderLine, dispatch_uid=f"im-appcache-line-{_signal is post_save}")
    for _model in (Plan, PlanFeature, Feature, AddOn):
        _signal.connect(_on_catalog, sender=_model,
                        dispatch_uid=f"im-appcache-{_model.__name__}-{_signal is post_save}")
