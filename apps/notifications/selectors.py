"""Reading alerts: what a member may see (billing alerts only for roles that may see billing)."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, QuerySet, When

from apps.accounts.roles import Action
from apps.notifications.models import BILLING_KINDS, Alert, EmailPreference, Kind, Severity, State

BELL_KEY = "alerts:open:{}:{}"
GENERATION_KEY = "alerts:generation"


def alert_list(*, membership) -> QuerySet[Alert]:
    alerts = Alert.objects.filter(organization_id=membership.organization_id).select_related("app")
    if not membership.may(Action.VIEW_BILLING):
        alerts = alerts.exclude(kind__in=BILLING_KINDS)
    return alerts


def open_alert_count(*, membership) -> int:
    """The bell's number: one COUNT, kept in the cache for CONSOLE_CACHE_SECONDS. A dismissal forgets the org's
    number; a check run starts a new generation (every org's number is counted again)."""
    billing = membership.may(Action.VIEW_BILLING)
    key = BELL_KEY.format(membership.organization_id, int(billing))
    found = cache.get_many([key, GENERATION_KEY])
    generation, cached = found.get(GENERATION_KEY), found.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    count = alert_list(membership=membership).filter(state=State.OPEN).count()
    cache.set(key, (generation, count), settings.CONSOLE_CACHE_SECONDS)
    return count


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
