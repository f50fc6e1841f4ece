"""Each check under a moved clock: what alerts the database holds after it runs."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from apps.audit.models import AuditEntry
from apps.callbacks.models import CallbackRule
from apps.im.models import ImGroup, ImGroupMember
from apps.im.services.users import users_register
from apps.notifications import checks
from apps.notifications.models import Alert, Kind, Severity, State
from billing.selectors import month_to_date_consumption
from tests.applications.factories import AppFactory
from tests.billing.factories import LedgerEntryFactory, at, order_bought
from tests.callbacks.factories import CallbackDeliveryFactory, CallbackRuleFactory
from tests.push.factories import PushCertificateFactory

pytestmark = pytest.mark.django_db

MARCH_10 = dt.date(2026, 3, 10)


def live(kind):
    return list(Alert.objects.filter(kind=kind, state=State.OPEN).order_by("id"))


def test_low_balance_counts_days_of_the_month_to_date_rate_and_arrears_is_critical(org, other_org):
    # 3,100 a month in March (31 days) = 100 a day; on the 10th the month so far cost 1,000.
    app = AppFactory(organization=org)
    order_bought(dt.date(2026, 3, 1), app=app, organization=org, monthly_fee=Decimal("3100.00"))
    LedgerEntryFactory(organization=org, amount=Decimal("650.00"))  # 6.5 days < 7
    LedgerEntryFactory(organization=other_org, amount=Decimal("-0.01"))
    rich = AppFactory()
    order_bought(dt.date(2026, 3, 1), app=rich, organization=rich.organization, monthly_fee=Decimal("3100.00"))
    LedgerEntryFactory(organization=rich.organization, amount=Decimal("700.00"))  # exactly 7 days: fine

    with time_machine.travel(at(MARCH_10, 12), tick=False):
        assert month_to_date_consumption(organization=org) == Decimal("1000.00")
        assert checks.month_to_date_consumption_by_org(at(MARCH_10, 12))[org.pk] == Decimal("1000.00")
        checks.check_balances()

    (low,) = live(Kind.LOW_BALANCE)
    assert (low.organization, low.severity, low.facts["days_left"], low.facts["daily"]) == (
        org, Severity.WARNING, 6, "100.00")
    (arrears,) = live(Kind.ARREARS)
    assert (arrears.organization, arrears.severity) == (other_org, Severity.CRITICAL)

    LedgerEntryFactory(organization=org, amount=Decimal("1000.00"))
    with time_machine.travel(at(MARCH_10, 13), tick=False):
        checks.check_balances()
    assert live(Kind.LOW_BALANCE) == []
    assert Alert.objects.get(kind=Kind.LOW_BALANCE).state == State.RESOLVED


def test_push_certificate_expiry_moves_through_30_7_1_days_and_expired(org):
    app = AppFactory(organization=org)
    start = at(MARCH_10, 9)
    cert = PushCertificateFactory(app=app, expires_at=start + dt.timedelta(days=20))
    PushCertificateFactory(app=app, expires_at=start + dt.timedelta(days=90))
    seen = []
    for days_later in (0, 14, 19, 21):
        with time_machine.travel(start + dt.timedelta(days=days_later), tick=False):
            checks.check_push_certificates()
        (alert,) = live(Kind.PUSH_CERT_EXPIRY)
        seen.append((alert.facts["stage"], alert.severity))
        assert alert.subject.startswith(f"cert:{cert.pk}:")
        assert alert.url_kwargs == {"app_name": app.name}
    assert seen == [("30d", Severity.INFO), ("7d", Severity.WARNING), ("1d", Severity.CRITICAL),
                    ("expired", Severity.CRITICAL)]
    assert Alert.objects.filter(kind=Kind.PUSH_CERT_EXPIRY, state=State.RESOLVED).count() == 3

    cert.expires_at = start + dt.timedelta(days=400)
    cert.save()
    with time_machine.travel(start + dt.timedelta(days=22), tick=False):
        checks.check_push_certificates()
    assert live(Kind.PUSH_CERT_EXPIRY) == []


def fail(rule, n, when):
    """``n`` failed deliveries: test events and the IM service's post-send ("chat") deliveries alternate, the
    post-send ones retried once (two attempt rows, one delivery)."""
    for i in range(n):
        attempts = (1, 2) if i % 2 else (1,)
        for attempt in attempts:
            CallbackDeliveryFactory(rule=rule, ok=False, status_code=500, event="chat" if i % 2 else "test",
                                    delivery_id=f"d{rule.pk}-{when.timestamp()}-{i}", attempt=attempt,
                                    attempted_at=when + dt.timedelta(minutes=i, seconds=attempt))


def test_failing_callbacks_warn_then_switch_the_rule_off_until_someone_switches_it_on(settings, org):
    settings.CALLBACK_FAILURES_ALERT, settings.CALLBACK_FAILURES_DISABLE = 3, 6
    start = at(MARCH_10, 9)
    with time_machine.travel(start, tick=False):
        rule = CallbackRuleFactory(app__organization=org)
        healthy = CallbackRuleFactory(app=rule.app)
    fail(healthy, 5, start + dt.timedelta(minutes=1))
    CallbackDeliveryFactory(rule=healthy, ok=True, attempted_at=start + dt.timedelta(minutes=30))
    fail(rule, 2, start + dt.timedelta(minutes=1))
    CallbackDeliveryFactory(rule=rule, ok=True, attempted_at=start + dt.timedelta(minutes=5))
    fail(rule, 3, start + dt.timedelta(minutes=10))  # 3 in a row after the last success

    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        checks.check_callbacks()
    (warning,) = live(Kind.CALLBACK_FAILING)
    assert (warning.subject, warning.severity, warning.facts["failures"]) == (
        f"rule:{rule.pk}", Severity.WARNING, 3)

    fail(rule, 3, start + dt.timedelta(minutes=20))
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        checks.check_callbacks()
    rule.refresh_from_db()
    assert rule.enabled is False
    assert live(Kind.CALLBACK_FAILING) == []
    (off,) = live(Kind.CALLBACK_DISABLED)
    assert (off.severity, off.facts["failures"]) == (Severity.CRITICAL, 6)
    entry = AuditEntry.objects.get(action="callbacks.rule_disabled_automatically")
    assert (entry.app, entry.actor, entry.detail["failures"]) == (rule.app, None, 6)

    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        checks.check_callbacks()  # still off: the alert stays, nothing more is audited
    assert len(live(Kind.CALLBACK_DISABLED)) == 1
    assert AuditEntry.objects.filter(action="callbacks.rule_disabled_automatically").count() == 1

    switched_on = start + dt.timedelta(hours=4)
    CallbackRule.objects.filter(pk=rule.pk).update(enabled=True, updated_at=switched_on)
    with time_machine.travel(switched_on + dt.timedelta(minutes=5), tick=False):
        checks.check_callbacks()
    assert live(Kind.CALLBACK_DISABLED) == [] and live(Kind.CALLBACK_FAILING) == []


def test_quotas_warn_at_80_and_100_percent_of_the_free_limits(org):
    app = AppFactory(organization=org)  # Free: 100 IM users, 100 members per group
    small = AppFactory(organization=org)
    users_register(app=small, entries=[{"username": f"s{i}", "password": "secret-1"} for i in range(3)])
    users = [*users_register(app=app, entries=[{"username": f"u{i}", "password": "secret-1"} for i in range(60)]),
             *users_register(app=app, entries=[{"username": f"u{i}", "password": "secret-1"} for i in range(60, 80)])]
    group = ImGroup.objects.create(app=app, name="g", maxusers=200, owner=users[0])
    ImGroupMember.objects.bulk_create([ImGroupMember(group=group, user=u) for u in users[:79]])

    with time_machine.travel(at(MARCH_10, 9), tick=False):
        checks.check_quotas()
    (alert,) = live(Kind.QUOTA)
    assert (alert.app, alert.subject, alert.facts["used"], alert.facts["limit"]) == (app, "quota:im_users:80", 80,
                                                                                    100)
    assert (alert.url_name, alert.url_query) == ("orders:checkout", "feature=im_users")

    more = users_register(app=app, entries=[{"username": f"v{i}", "password": "secret-1"} for i in range(20)])
    ImGroupMember.objects.bulk_create([ImGroupMember(group=group, user=u) for u in [users[79], *more]])
    with time_machine.travel(at(MARCH_10, 10), tick=False):
        checks.check_quotas()
    assert sorted(a.subject for a in live(Kind.QUOTA)) == ["quota:group_members:100", "quota:im_users:100"]


def test_todays_peak_rest_calls_per_second_warns_at_80_and_100_percent_of_the_rate(org):
    from apps.im.models import UsageDay
    from apps.notifications.kinds import alert_message

    app = AppFactory(organization=org)  # Free: 100 calls/s
    calm = AppFactory(organization=org)
    UsageDay.objects.create(app=app, day=MARCH_10, peak_calls_per_second=80, calls_2xx=5000)
    UsageDay.objects.create(app=app, day=MARCH_10 - dt.timedelta(days=1), peak_calls_per_second=150)
    UsageDay.objects.create(app=calm, day=MARCH_10, peak_calls_per_second=79)

    with time_machine.travel(at(MARCH_10, 9), tick=False):
        checks.check_quotas()
    (alert,) = live(Kind.QUOTA)
    assert (alert.app, alert.subject, alert.facts["used"], alert.facts["limit"]) == (app, "quota:rest_rate:80", 80,
                                                                                    100)
    assert (alert.url_name, alert.url_query) == ("orders:checkout", "feature=rest_rate")
    assert "peaked at 80 REST API calls in one second today (limit 100 calls/s, alert at 80%)" in alert_message(alert)

    UsageDay.objects.filter(app=app, day=MARCH_10).update(peak_calls_per_second=130)
    with time_machine.travel(at(MARCH_10, 10), tick=False):
        checks.check_quotas()
    assert [a.subject for a in live(Kind.QUOTA)] == ["quota:rest_rate:100"]

    with time_machine.travel(at(MARCH_10 + dt.timedelta(days=1), 1), tick=False):  # a new day, no peak yet
        checks.check_quotas()
    assert live(Kind.QUOTA) == []


def _queries(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_balance_expiry_and_callback_checks_run_the_same_queries_for_2_or_30_orgs():
    def world(n):
        for _ in range(n):
            app = AppFactory()
            order_bought(dt.date(2026, 3, 1), app=app, organization=app.organization, monthly_fee=Decimal("3100"))
            LedgerEntryFactory(organization=app.organization, amount=Decimal("100.00"))
            PushCertificateFactory(app=app, expires_at=at(MARCH_10) + dt.timedelta(days=3))
            fail(CallbackRuleFactory(app=app, updated_at=at(MARCH_10, 0)), 6, at(MARCH_10, 1))

    counts = []
    for n in (2, 28):
        world(n)
        with time_machine.travel(at(MARCH_10, 12), tick=False):
            counts.append([_queries(checks.check_balances), _queries(checks.check_push_certificates),
                           _queries(checks.check_callbacks)])
    assert counts[0] == counts[1], counts
    assert Alert.objects.filter(state=State.OPEN).count() == 30 * 3
