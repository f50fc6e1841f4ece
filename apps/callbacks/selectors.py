"""Reads of callback rules: a fixed number of queries however many rules and deliveries there are."""

from django.db.models import Prefetch, QuerySet

from apps.callbacks.models import CallbackDelivery, CallbackRule
from apps.plans.models import CatalogSettings

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
    return CatalogSettings.load().callback_rules_max
