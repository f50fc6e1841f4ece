import factory

from apps.notifications.models import Alert, Kind, Severity, State


class AlertFactory(factory.django.DjangoModelFactory):
    """An open push-expiry alert of an app (pass kind/facts/url_* for others)."""

    class Meta:
        model = Alert

    app = factory.SubFactory("tests.applications.factories.AppFactory")
    organization = factory.SelfAttribute("app.organization")
    kind = Kind.PUSH_CERT_EXPIRY
    subject = factory.Sequence(lambda n: f"cert:{n}:7d")
    severity = Severity.WARNING
    state = State.OPEN
    facts = factory.LazyAttribute(lambda o: {"certificate": "ios-prod", "vendor": "apns", "app": o.app.name,
                                             "stage": "7d", "expires_at": "2026-03-17T09:00:00+00:00"})
    url_name = "features:settings_push"
    url_kwargs = factory.LazyAttribute(lambda o: {"app_name": o.app.name})
    condition = factory.LazyAttribute(
        lambda o: Alert.condition_key(o.kind, o.organization.pk, o.app.pk if o.app else None, o.subject)
        if o.state != State.RESOLVED else None)


def low_balance_alert(org, **kwargs) -> Alert:
    return AlertFactory(app=None, organization=org, kind=Kind.LOW_BALANCE, subject="",
                        facts={"balance": "650.00", "daily": "100.00", "days_left": 6, "threshold": 7},
                        url_name="billing:account", url_kwargs={}, **kwargs)


def sample_alert(world) -> int:
    """The pk of the quality wall's alert on the world's app (made on first use)."""
    alert = Alert.objects.filter(app=world.app, subject="cert:walker:7d").first()
    return (alert or AlertFactory(app=world.app, subject="cert:walker:7d")).pk
