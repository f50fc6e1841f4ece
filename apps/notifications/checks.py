"""The checks: each is a few set-based queries over every organization, then one ``record_check``.

No check loops over organizations issuing queries; the quota check asks the entitlement gate once per app that
has IM users (bounded by the number of such apps)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from apps.applications.models import App
from apps.audit.services import audit_app
from apps.callbacks.models import CallbackDelivery, CallbackRule
from apps.im.models import ImGroupMember, UserCounter
from apps.im.selectors import usage_peaks_on
from apps.notifications.models import Alert, Kind, Severity
from apps.notifications.services import Found, Recorded, record_check
from apps.push.models import PushCertificate
from billing.models import LedgerEntry
from console.money import ZERO, is_in_arrears, quantize_money
from console.timeutil import business_date
from orders.charges import order_charged_lines_sql
from orders.entitlements import app_entitlements

EXPIRY_STAGES = ((1, Severity.CRITICAL), (7, Severity.WARNING), (30, Severity.INFO))  # days left, severity
QUOTA_CODES = ("im_users", "group_members", "rest_rate")
QUOTA_STAGES = (100, 80)  # percent of the limit


def month_to_date_consumption_by_org(now: dt.datetime) -> dict[int, Decimal]:
    """Every organization's charges from the 1st to today inclusive (billing.selectors.month_to_date_consumption
    for all organizations at once: the same SQL as bills, grouped)."""
    today = business_date(now)
    sql, params = order_charged_lines_sql(month=today, until=today + dt.timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT lines.organization_id, SUM(lines.amount_cents) FROM ({sql}) lines "  # noqa: S608
            "GROUP BY lines.organization_id",
            params,
        )
        return {org_id: quantize_money(Decimal(int(cents)) / 100) for org_id, cents in cursor.fetchall()}


def check_balances(*, now: dt.datetime | None = None) -> Recorded:
    """Arrears (balance below zero) -> critical; a balance that covers fewer than LOW_BALANCE_DAYS days of this
    month's consumption rate so far (month-to-date charges / days elapsed) -> warning."""
    now = now or timezone.now()
    days_elapsed = business_date(now).day
    consumption = month_to_date_consumption_by_org(now)
    balances = {
        row["organization_id"]: quantize_money(row["total"])
        for row in LedgerEntry.objects.values("organization_id").order_by().annotate(total=Sum("amount"))
    }
    n_days = settings.LOW_BALANCE_DAYS
    found = []
    for org_id in balances.keys() | consumption.keys():
        balance, spent = balances.get(org_id, ZERO), consumption.get(org_id, ZERO)
        link = {"url_name": "billing:account", "url_kwargs": {}}
        if is_in_arrears(balance):
            found.append(Found(kind=Kind.ARREARS, organization_id=org_id, severity=Severity.CRITICAL,
                               facts={"balance": str(balance)}, **link))
        elif spent > 0 and balance * days_elapsed < spent * n_days:
            daily = quantize_money(spent / days_elapsed)
            found.append(Found(kind=Kind.LOW_BALANCE, organization_id=org_id, severity=Severity.WARNING,
                               facts={"balance": str(balance), "daily": str(daily),
                                      "days_left": int(balance * days_elapsed // spent), "threshold": n_days},
                               **link))
    return record_check(kinds=[Kind.ARREARS, Kind.LOW_BALANCE], found=found, now=now)


def check_push_certificates(*, now: dt.datetime | None = None) -> Recorded:
    """A certificate expiring within 30, 7 or 1 days, or expired: one alert per (certificate, stage); moving to
    the next stage resolves the previous one and opens a new alert (and a new email)."""
    now = now or timezone.now()
    found = []
    rows = PushCertificate.objects.filter(expires_at__lte=now + dt.timedelta(days=30)).values(
        "pk", "name", "vendor", "expires_at", "app_id", "app__name", "app__organization_id"
    )
    for row in rows:
        left = row["expires_at"] - now
        if left <= dt.timedelta(0):
            stage, severity = "expired", Severity.CRITICAL
        else:
            days, severity = next((d, s) for d, s in EXPIRY_STAGES if left <= dt.timedelta(days=d))
            stage = f"{days}d"
        found.append(Found(
            kind=Kind.PUSH_CERT_EXPIRY, organization_id=row["app__organization_id"], app_id=row["app_id"],
            subject=f"cert:{row['pk']}:{stage}", severity=severity,
            facts={"certificate": row["name"], "vendor": row["vendor"], "app": row["app__name"], "stage": stage,
                   "expires_at": row["expires_at"].isoformat()},
            url_name="features:settings_push", url_kwargs={"app_name": row["app__name"]},
        ))
    return record_check(kinds=[Kind.PUSH_CERT_EXPIRY], found=found, now=now)


def failing_rules():
    """Enabled rules annotated with ``failures``: their failed deliveries (distinct delivery ids: test events and
    post-send deliveries alike) since both their last successful delivery and their last change (switching a
    rule back on, or fixing it, starts the count again)."""
    last_ok = (CallbackDelivery.objects.filter(rule=OuterRef("pk"), ok=True).order_by("-attempted_at")
               .values("attempted_at")[:1])
    since = Q(deliveries__ok=False, deliveries__attempted_at__gt=F("updated_at")) & (
        Q(last_ok__isnull=True) | Q(deliveries__attempted_at__gt=F("last_ok"))
    )
    return (
        CallbackRule.objects.filter(enabled=True)
        .annotate(last_ok=Subquery(last_ok))
        .annotate(failures=Count("deliveries__delivery_id", filter=since, distinct=True),
                  last_failure=Max("deliveries__attempted_at", filter=since))
        .filter(failures__gte=settings.CALLBACK_FAILURES_ALERT)
    )


def check_callbacks(*, now: dt.datetime | None = None) -> Recorded:
    """CALLBACK_FAILURES_ALERT failed deliveries in a row -> warning; CALLBACK_FAILURES_DISABLE -> the rule is
    switched off (audited) and a critical alert says so and how to switch it on again, until it is on again."""
    now = now or timezone.now()
    found = []
    with transaction.atomic():
        for rule in failing_rules().select_related("app"):
            if rule.failures >= settings.CALLBACK_FAILURES_DISABLE:
                # The conditional UPDATE decides who switched it off: a concurrent run audits nothing.
                if not CallbackRule.objects.filter(pk=rule.pk, enabled=True).update(enabled=False, updated_at=now):
                    continue
                audit_app(app=rule.app, actor=None, action="callbacks.rule_disabled_automatically",
                          summary=f"{rule.name}: {rule.failures}",
                          detail={"name": rule.name, "failures": rule.failures})
                kind, severity = Kind.CALLBACK_DISABLED, Severity.CRITICAL
            else:
                kind, severity = Kind.CALLBACK_FAILING, Severity.WARNING
            found.append(Found(
                kind=kind, organization_id=rule.app.organization_id, app_id=rule.app_id, subject=f"rule:{rule.pk}",
                severity=severity, facts={"rule": rule.name, "failures": rule.failures, "app": rule.app.name},
                url_name="features:callback_rule_edit", url_kwargs={"app_name": rule.app.name, "pk": rule.pk},
            ))
        # A rule switched off automatically keeps its alert until someone switches it on again (or deletes it).
        still_off = Alert.objects.filter(kind=Kind.CALLBACK_DISABLED, condition__isnull=False,
                                         app__callback_rules__enabled=False).values(
            "organization_id", "app_id", "subject", "severity", "facts", "url_name", "url_kwargs",
            "app__callback_rules__pk")
        for row in still_off:
            if row["subject"] == f"rule:{row.pop('app__callback_rules__pk')}":
                found.append(Found(kind=Kind.CALLBACK_DISABLED, **row))
        return record_check(kinds=[Kind.CALLBACK_FAILING, Kind.CALLBACK_DISABLED], found=found, now=now)


def check_quotas(*, now: dt.datetime | None = None) -> Recorded:
    """Registered IM users, members of the largest group and today's peak REST calls in one second (the usage
    roll-up's UsageDay row) at 80% and 100% of the app's limits -> warning linking to the checkout with the
    feature that lifts the limit preselected. Three reads over all apps, then the entitlement gate once
    per app that has IM users or made REST calls today."""
    now = now or timezone.now()
    # The registered count kept under the registration lock (UserCounter), not a count over every IM user.
    users = dict(UserCounter.objects.filter(registered__gt=0).values_list("app_id", "registered"))
    per_group = (ImGroupMember.objects.values("group_id", "group__app_id").order_by()
                 .annotate(n=Count("pk")).values_list("group__app_id", "n"))
    largest: dict[int, int] = {}
    for app_id, n in per_group:
        largest[app_id] = max(n, largest.get(app_id, 0))
    peaks = usage_peaks_on(day=business_date(now))
    found = []
    for app in App.objects.filter(pk__in=users.keys() | peaks.keys()).only("pk", "name", "organization_id"):
        ent = app_entitlements(app=app)
        for code, used in (("im_users", users.get(app.pk, 0)), ("group_members", largest.get(app.pk, 0)),
                           ("rest_rate", peaks.get(app.pk, 0))):
            limit = ent.quota(code).value
            if not limit:
                continue
            stage = next((p for p in QUOTA_STAGES if used * 100 >= limit * p), None)
            if stage is None:
                continue
            found.append(Found(
                kind=Kind.QUOTA, organization_id=app.organization_id, app_id=app.pk,
                subject=f"quota:{code}:{stage}", severity=Severity.WARNING,
                facts={"code": code, "used": used, "limit": limit, "percent": stage, "app": app.name},
                url_name="orders:checkout", url_kwargs={"app_name": app.name}, url_query=f"feature={code}",
            ))
    return record_check(kinds=[Kind.QUOTA], found=found, now=now)
