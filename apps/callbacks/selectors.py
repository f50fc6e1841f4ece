"""Reads of callback rules: a fixed number of queries however many rules and deliveries there are."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from apps.callbacks.models import CallbackDelivery, CallbackRule
from apps.plans.selectors import catalog_settings

RECENT_DELIVERIES = 20


def recent_deliveries() -> QuerySet[CallbackDelivery]:
    return CallbackDelivery.objects.order_by("-attempted_at", "-id")


def callback_rules(*, app) -> list[CallbackRule]:
    """The app's rules, each with ``recent_deliveries``: its last RECENT_DELIVERIES attempts, newest first
    (two queries: the rules, and one windowed query for the deliveries of all of them)."""
    return list(
        CallbackRule.objects.filter(app=app).prefetch_related(
            Prefetch("deliveries", queryset=recent_deliveries()[:RECENT_DELIVERIES], to_attr="recent_deliveries")
        )
    )


def callback_rule_for_page(*, app, pk: int) -> CallbackRule | None:
    """One rule of the app with its ``recent_deliveries``, or None (another app's rule is None too)."""
    rules = CallbackRule.objects.filter(app=app, pk=pk).prefetch_related(
        Prefetch("deliveries", queryset=recent_deliveries()[:RECENT_DELIVERIES], to_attr="recent_deliveries")
    )
    return next(iter(rules), None)


def callback_rules_limit() -> int:
    """The limit as the page shows it (the cached catalog; the service enforces it on the row itself)."""
    return catalog_settings().callback_rules_max


TEST_EVENT_WATCH_SECONDS = 120


def callback_test_pending(*, rule: CallbackRule, now: dt.datetime | None = None) -> bool:
    """A test event was queued and no delivery of it is logged yet (``rule.recent_deliveries``, newest first).
    A queue older than TEST_EVENT_WATCH_SECONDS counts as no longer pending, so a page stops waiting for a
    worker that is not running."""
    queued = rule.test_queued_at
    now = now or timezone.now()
    if queued is None or queued < now - dt.timedelta(seconds=TEST_EVENT_WATCH_SECONDS):
        return False
    latest = rule.recent_deliveries[0] if rule.recent_deliveries else None
    return latest is None or latest.attempted_at < queued
