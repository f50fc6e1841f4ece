"""Reading alerts: what a member may see (billing alerts only for roles that may see billing)."""

import uuid

from django.core.cache import cache
from django.db.models import Case, QuerySet, When

from apps.accounts.roles import Action
from apps.notifications.models import BILLING_KINDS, Alert, EmailPreference, Kind, Severity, State
from console.generations import generational

BELL_KEY = "alerts:open:{}:{}"
GENERATION_KEY = "alerts:generation"


def alert_list(*, membership) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(organization_id=membership.organization_id).select_related("app")
    if not membership.may(Action.VIEW_BILLING):
        alerts = alerts.exclude(kind__in=BILLING_KINDS)
    return alerts


def open_alert_count(*, membership, found: dict | None = None) -> int:
    """The bell's number: one COUNT, kept in the cache for CONSOLE_CACHE_SECONDS. A dismissal forgets the org's
    number; a check run starts a new generation (every org's number is counted again). ``found``: the cache's
    answer for ``open_alert_cache_keys``, read by the caller with other keys."""
    return generational(
        _bell_key(membership), GENERATION_KEY,
        lambda: alert_list(membership=membership).filter(state=State.OPEN).count(), found=found,
    )


def open_alert_cache_keys(*, membership) -> list[str]:
    return [_bell_key(membership), GENERATION_KEY]


def _bell_key(membership) -> str:
    return BELL_KEY.format(membership.organization_id, int(membership.may(Action.VIEW_BILLING)))


def forget_all_open_counts() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def forget_open_count(*, organization_id: int) -> None:
    cache.delete_many([BELL_KEY.format(organization_id, 0), BELL_KEY.format(organization_id, 1)])


def open_alerts_for(*, membership, kinds, app=None) -> list[Alert]:
    """Open alerts of ``kinds`` (of one app, when given), for a feature page to show in place."""
    alerts = alert_list(membership=membership).filter(state=State.OPEN, kind__in=kinds)
    if app is not None:
        alerts = alerts.filter(app=app)
    rank = Case(When(severity=Severity.CRITICAL, then=0), When(severity=Severity.WARNING, then=1), default=2)
    return list(alerts.order_by(rank, "-last_seen")[:5])


def email_choices(*, user) -> dict[str, bool]:
    """Every kind -> whether the user gets email for it (on unless turned off)."""
    off = set(EmailPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {kind: kind not in off for kind in Kind.values}
