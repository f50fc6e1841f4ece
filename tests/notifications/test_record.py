import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.notifications.models import Alert, Kind, Severity, State
from apps.notifications.services import Found, dismiss_alert, record_check
from tests.applications.factories import AppFactory

pytestmark = pytest.mark.django_db


def found(org, app=None, subject="cert:1:30d", severity=Severity.WARNING, **facts):
    return Found(kind=Kind.PUSH_CERT_EXPIRY, organization_id=org.pk, app_id=app.pk if app else None,
                 subject=subject, severity=severity, facts=facts)


def test_repeated_runs_keep_one_alert_per_condition_and_refresh_it(org):
    app = AppFactory(organization=org)
    t0 = timezone.now()
    record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=[found(org, app, days=30)], now=t0)
    record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=[found(org, app, days=29)], now=t0 + dt.timedelta(days=1))

    alert = Alert.objects.get()
    assert (alert.state, alert.facts, alert.first_seen, alert.last_seen) == (
        State.OPEN, {"days": 29}, t0, t0 + dt.timedelta(days=1))


def test_a_cleared_condition_is_resolved_and_a_new_one_opens_a_new_alert(org):
    t0 = timezone.now()
    record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=[found(org)], now=t0)
    result = record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=[], now=t0 + dt.timedelta(hours=1))
    assert result.resolved == 1
    old = Alert.objects.get()
    assert (old.state, old.resolved_at, old.condition) == (State.RESOLVED, t0 + dt.timedelta(hours=1), None)

    record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=[found(org)], now=t0 + dt.timedelta(hours=2))
    assert Alert.objects.filter(state=State.OPEN).count() == 1
    assert Alert.objects.count() == 2


def test_other_kinds_are_not_resolved_by_a_check(org):
    t0 = timezone.now()
    record_check(kinds=[Kind.ARREARS], found=[Found(kind=Kind.ARREARS, organization_id=org.pk,
                                                    severity=Severity.CRITICAL)], now=t0)
    record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=[], now=t0 + dt.timedelta(hours=1))
    assert Alert.objects.get().state == State.OPEN


def test_a_dismissed_alert_stays_dismissed_while_its_condition_holds(org):
    t0 = timezone.now()
    record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=[found(org)], now=t0)
    assert dismiss_alert(alert=Alert.objects.get())
    record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=[found(org)], now=t0 + dt.timedelta(hours=1))
    alert = Alert.objects.get()
    assert alert.state == State.DISMISSED
    assert alert.last_seen == t0 + dt.timedelta(hours=1)


def test_the_database_refuses_a_second_live_alert_for_one_condition(org):
    key = Alert.condition_key(Kind.ARREARS, org.pk, None, "")
    Alert.objects.create(kind=Kind.ARREARS, organization=org, severity=Severity.CRITICAL, condition=key)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(kind=Kind.ARREARS, organization=org, severity=Severity.CRITICAL, condition=key)
