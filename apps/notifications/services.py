"""Writing alerts: the checks report what they found; one upsert records it, one UPDATE resolves the rest."""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.notifications.kinds import alert_link, alert_message
from apps.notifications.models import BILLING_KINDS, Alert, EmailPreference, State
from apps.notifications.selectors import forget_all_open_counts, forget_open_count

logger = logging.getLogger(__name__)


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
    # A fixed order: concurrent upserts lock rows in the same order.
    alerts = [alert_from(f, now=now) for _key, f in sorted(rows.items())]
    with transaction.atomic():
        upsert_alerts(alerts)
        resolved = Alert.objects.filter(kind__in=kinds, condition__isnull=False, last_seen__lt=now).update(
            state=State.RESOLVED, resolved_at=now, condition=None
        )
        _forget_counts()
    return Recorded(upserted=len(alerts), resolved=resolved)


def _forget_counts() -> None:
    """New bell numbers now (this connection's readers) and again once the writes are visible to all."""
    forget_all_open_counts()
    transaction.on_commit(forget_all_open_counts)


def upsert_alerts(alerts: list[Alert]) -> None:
    """``INSERT … ON CONFLICT (condition) DO UPDATE`` of live alerts (the seed uses it alone: it resolves nothing)."""
    if alerts:
        Alert.objects.bulk_create(alerts, update_conflicts=True, unique_fields=["condition"],
                                  update_fields=UPDATED_ON_CONFLICT, batch_size=500)
        _forget_counts()


def alert_from(found: Found, *, now: dt.datetime) -> Alert:
    return Alert(kind=found.kind, organization_id=found.organization_id, app_id=found.app_id,
                 subject=found.subject, condition=found.condition, severity=found.severity, facts=found.facts,
                 url_name=found.url_name, url_kwargs=found.url_kwargs, url_query=found.url_query, first_seen=now,
                 last_seen=now, state=State.OPEN)


def dismiss_alert(*, alert: Alert, now: dt.datetime | None = None) -> bool:
    """A member hides an open alert; it stays dismissed while its condition holds (the checks keep it)."""
    done = Alert.objects.filter(pk=alert.pk, state=State.OPEN).update(
        state=State.DISMISSED, dismissed_at=now or timezone.now()
    )
    forget_open_count(organization_id=alert.organization_id)
    return bool(done)


EMAIL_INTERVAL = dt.timedelta(days=1)


def email_roles(kind: str) -> tuple[str, ...]:
    """Billing alerts go to owner/admin/finance, app alerts to owner/admin/developer."""
    if kind in BILLING_KINDS:
        return (Role.OWNER, Role.ADMIN, Role.FINANCE)
    return (Role.OWNER, Role.ADMIN, Role.DEVELOPER)


def claim_for_email(*, alert_id: int, now: dt.datetime) -> bool:
    """At most one email per alert per day: the conditional UPDATE lets one worker claim it."""
    return bool(
        Alert.objects.filter(pk=alert_id, state=State.OPEN)
        .filter(Q(last_emailed_at__isnull=True) | Q(last_emailed_at__lte=now - EMAIL_INTERVAL))
        .update(last_emailed_at=now)
    )


def email_alerts(*, now: dt.datetime | None = None, site_url: str | None = None) -> int:
    """Email every open alert not emailed in the last day to the members whose role cares and who did not turn
    that kind off. Returns the number of emails sent."""
    now = now or timezone.now()
    site_url = (site_url or settings.CONSOLE_SITE_URL).rstrip("/")
    due = list(
        Alert.objects.filter(state=State.OPEN)
        .filter(Q(last_emailed_at__isnull=True) | Q(last_emailed_at__lte=now - EMAIL_INTERVAL))
        .select_related("organization", "app")
    )
    if not due:
        return 0
    opted_out = set(EmailPreference.objects.filter(email=False).values_list("user_id", "kind"))
    members: dict[int, list] = {}
    for m in Membership.objects.filter(organization_id__in={a.organization_id for a in due}).select_related("user"):
        members.setdefault(m.organization_id, []).append(m)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for alert in due:
            to = sorted(m.user.email for m in members.get(alert.organization_id, ())
                        if m.role in email_roles(alert.kind) and m.user.is_active
                        and (m.user_id, alert.kind) not in opted_out)
            if not to or not claim_for_email(alert_id=alert.pk, now=now):
                continue
            link = alert_link(alert, org_name=alert.organization.name)
            context = {"alert": alert, "message": alert_message(alert), "organization": alert.organization,
                       "url": site_url + link if link else "",
                       "alerts_url": site_url + reverse("notifications:alert_list",
                                                        kwargs={"org_name": alert.organization.name}),
                       "preferences_url": site_url + reverse("notifications:preferences",
                                                             kwargs={"org_name": alert.organization.name})}
            subject = render_to_string("notifications/email/alert_subject.txt", context).strip()
            body = render_to_string("notifications/email/alert.txt", context)
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
            except Exception:  # the alert is on the page and the bell; tomorrow's run tries the mail again
                logger.exception("Could not email alert %s", alert.pk)
                continue
            sent += 1
    return sent


def set_email_choices(*, user, choices: dict[str, bool]) -> None:
    """Store the user's email choice per kind (one row per kind)."""
    EmailPreference.objects.bulk_create(
        [EmailPreference(user=user, kind=kind, email=on) for kind, on in choices.items()],
        update_conflicts=True, unique_fields=["user", "kind"], update_fields=["email"],
    )
