"""Concurrency on PostgreSQL: parallel check runs and email runs make one alert per condition, one email each."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications import checks
from apps.notifications.models import Alert, State
from apps.notifications.services import email_alerts
from tests.accounts.factories import MembershipFactory
from tests.applications.factories import AppFactory
from tests.concurrency import run_together
from tests.push.factories import PushCertificateFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_check_runs_make_one_alert_per_condition_and_parallel_mailers_send_it_once():
    apps = [AppFactory() for _ in range(4)]
    for app in apps:
        MembershipFactory(organization=app.organization, role="owner")
        for days in (3, 20):
            PushCertificateFactory(app=app, expires_at=timezone.now() + dt.timedelta(days=days))

    results = run_together(*[checks.check_push_certificates for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Alert.objects.filter(state=State.OPEN).count() == 8
    assert Alert.objects.count() == 8

    sent = run_together(*[email_alerts for _ in range(3)])
    assert not [r for r in sent if isinstance(r, Exception)], sent
    assert sum(sent) == 8 == len(mail.outbox)
