"""Writing alerts: the checks report what they found; one upsert records it, one UPDATE resolves the rest."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.notifications.models import Alert, State


@dataclass(frozen=True)
class Found:
    """One condition a check found true now."""

    kind: str
    organization_id: int
    severity: str
    app_id: int | None = None
    subject: str = ""
    facts: dict = field(default_factory=dict)
    url_name: str = ""
    url_kwargs: dict = field(default_factory=dict)
    url_query: str = ""

    @property
    def condition(self) -> str:
        return Alert.condition_key(self.kind, self.organization_id, self.app_id, self.subject)


@dataclass(frozen=True)
class Recorded:
    upserted: int
    resolved: int


UPDATED_ON_CONFLICT = ["severity", "facts", "last_seen", "url_name", "url_kwargs", "url_query"]


def record_check(*, kinds: Iterable[str], found: Iterable[Found], now: dt.datetime | None = None) -> Recorded:
    """Record a check's findings for ``kinds``: each found condition is inserted, or its live alert (open or
    dismissed: a dismissed alert stays dismissed) updated, by ``INSERT … ON CONFLICT (condition) DO UPDATE``, so
    repeated or concurrent runs make no duplicates; every live alert of those kinds not seen in this run is
    resolved by one UPDATE."""
    now = now or timezone.now()
    kinds = list(kinds)
    rows = {f.condition: f for f in found}  # one row per condition: ON CONFLICT may not touch a row twice
    alerts = [
        Alert(kind=f.kind, organization_id=f.organization_id, app_id=f.app_id, subject=f.subject,
              condition=key, severity=f.severity, facts=f.facts, url_name=f.url_name, url_kwargs=f.url_kwargs,
              url_query=f.url_query, first_seen=now, last_seen=now, state=State.OPEN)
        for key, f in sorted(rows.items())  # a fixed order: concurrent upserts lock rows in the same order
    ]
    with transaction.atomic():
        if alerts:
            Alert.objects.bulk_create(alerts, update_conflicts=True, unique_fields=["condition"],
                                      update_fields=UPDATED_ON_CONFLICT, batch_size=500)
        resolved = Alert.objects.filter(kind__in=kinds, condition__isnull=False, last_seen__lt=now).update(
            state=State.RESOLVED, resolved_at=now, condition=None
        )
    return Recorded(upserted=len(alerts), resolved=resolved)


def dismiss_alert(*, alert: Alert, now: dt.datetime | None = None) -> bool:
    """A member hides an open alert; it stays dismissed while its condition holds (the checks keep it)."""
    return bool(
        Alert.objects.filter(pk=alert.pk, state=State.OPEN).update(
            state=State.DISMISSED, dismissed_at=now or timezone.now()
        )
    )
