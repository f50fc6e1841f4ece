"""Alerts: one row per condition that needs someone's attention (issue 18).

The text is not stored: ``kind`` and ``facts`` build the message in the reader's language when it is shown
(apps/notifications/kinds.py). ``condition`` is the condition's key while the alert is open or dismissed, and NULL
once resolved; its unique constraint (NULLs are distinct) is what keeps one live alert per condition, and the
checks upsert on it with ``INSERT … ON CONFLICT (condition) DO UPDATE``."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LOW_BALANCE = "low_balance", _("Low balance")
    ARREARS = "arrears", _("Arrears")
    PUSH_CERT_EXPIRY = "push_cert_expiry", _("Push certificate expiry")
    CALLBACK_FAILING = "callback_failing", _("Callback deliveries failing")
    CALLBACK_DISABLED = "callback_disabled", _("Callback rule switched off")
    QUOTA = "quota", _("Quota near its limit")


BILLING_KINDS = frozenset({Kind.LOW_BALANCE, Kind.ARREARS})


class Severity(models.TextChoices):
    INFO = "info", _("Info")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


class State(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class Alert(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="alerts")
    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, null=True, blank=True,
                            related_name="alerts")
    # What the condition is about inside (kind, org, app): "cert:12:7d", "rule:5", "quota:im_users:100".
    subject = models.CharField(_("subject"), max_length=64, blank=True)
    # "<kind>|<org id>|<app id or ->|<subject>" while open or dismissed; NULL once resolved.
    condition = models.CharField(max_length=160, null=True, blank=True, editable=False)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    url_name = models.CharField(max_length=64, blank=True)
    url_kwargs = models.JSONField(default=dict, blank=True)
    url_query = models.CharField(max_length=128, blank=True)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last detected"), default=timezone.now)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)
    last_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["condition"], name="notifications_alert_one_per_condition"),
            models.CheckConstraint(
                condition=models.Q(state="resolved", condition__isnull=True)
                | (~models.Q(state="resolved") & models.Q(condition__isnull=False)),
                name="notifications_alert_condition_iff_live",
            ),
        ]
        indexes = [models.Index(fields=["organization", "state"], name="notifications_alert_org_state")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.state})"

    @staticmethod
    def condition_key(kind: str, organization_id: int, app_id: int | None, subject: str) -> str:
        return f"{kind}|{organization_id}|{app_id if app_id is not None else '-'}|{subject}"


class EmailPreference(models.Model):
    """A member's choice to get no email for one kind of alert (no row: email on)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="alert_email_preferences")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    email = models.BooleanField(_("email"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notifications_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {'on' if self.email else 'off'}"
