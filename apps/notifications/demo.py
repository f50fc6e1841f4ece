"""Demo: one open alert of each kind on the demo organization (chat-prod for app alerts), with the push
certificate and two callback rules (one failing, one switched off) they talk about. Idempotent: the alerts are
upserted on their condition key, the rules made once; nothing else is resolved."""

import datetime as dt

from django.utils import timezone

from apps.applications.demo import demo_app_and_owner
from apps.callbacks.models import CallbackRule
from apps.callbacks.services import new_secret
from apps.notifications.models import Kind, Severity
from apps.notifications.services import Found, alert_from, upsert_alerts
from apps.push.models import PushCertificate

DEMO_URL = "https://callback.demo.example/im/events"


def _rule(app, name: str, *, enabled: bool) -> CallbackRule:
    rule = CallbackRule.objects.filter(app=app, name=name).first()
    return rule or CallbackRule.objects.create(
        app=app, name=name, kind=CallbackRule.Kind.POST_SEND, url=DEMO_URL, chat_types=["chat"],
        message_types=["txt"], enabled=enabled, secret=new_secret())


def seed(organization) -> None:
    found = demo_app_and_owner(organization)
    if found is None:
        return
    app, _owner = found
    now = timezone.now()
    org = organization.pk
    billing = {"url_name": "billing:account", "url_kwargs": {}}
    rows = [
        Found(kind=Kind.LOW_BALANCE, organization_id=org, severity=Severity.WARNING, **billing,
              facts={"balance": "650.00", "daily": "100.00", "days_left": 6, "threshold": 7}),
        Found(kind=Kind.ARREARS, organization_id=org, severity=Severity.CRITICAL, facts={"balance": "-12.50"},
              **billing),
        Found(kind=Kind.QUOTA, organization_id=org, app_id=app.pk, subject="quota:group_members:80",
              severity=Severity.WARNING, url_name="orders:checkout", url_kwargs={"app_name": app.name},
              url_query="feature=group_members",
              facts={"code": "group_members", "used": 240, "limit": 300, "percent": 80, "app": app.name}),
    ]
    certificate = PushCertificate.objects.filter(app=app).order_by("pk").first()
    if certificate is not None:
        if certificate.expires_at is None:
            certificate.expires_at = now + dt.timedelta(days=6)
            certificate.save(update_fields=["expires_at"])
        rows.append(Found(
            kind=Kind.PUSH_CERT_EXPIRY, organization_id=org, app_id=app.pk, subject=f"cert:{certificate.pk}:7d",
            severity=Severity.WARNING, url_name="features:settings_push", url_kwargs={"app_name": app.name},
            facts={"certificate": certificate.name, "vendor": certificate.vendor, "app": app.name, "stage": "7d",
                   "expires_at": certificate.expires_at.isoformat()}))
    for kind, name, enabled, severity, failures in (
        (Kind.CALLBACK_FAILING, "demo-webhook", True, Severity.WARNING, 5),
        (Kind.CALLBACK_DISABLED, "demo-archive", False, Severity.CRITICAL, 20),
    ):
        rule = _rule(app, name, enabled=enabled)
        rows.append(Found(kind=kind, organization_id=org, app_id=app.pk, subject=f"rule:{rule.pk}",
                          severity=severity, url_name="features:callback_rule_edit",
                          url_kwargs={"app_name": app.name, "pk": rule.pk},
                          facts={"rule": rule.name, "failures": failures, "app": app.name}))
    upsert_alerts([alert_from(f, now=now) for f in rows])
