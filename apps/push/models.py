import datetime as dt
import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from console.fields import EncryptedTextField

EXPIRY_WARNING_DAYS = 30


class Vendor(models.TextChoices):
    APNS = "apns", "APNs"
    FCM = "fcm", "FCM"
    HUAWEI = "huawei", _("Huawei")
    XIAOMI = "xiaomi", _("Xiaomi")
    OPPO = "oppo", "OPPO"
    VIVO = "vivo", "VIVO"
    MEIZU = "meizu", _("Meizu")
    HONOR = "honor", _("Honor")


# The vendor names audit entries keep (a brand reads the same in every language of the log).
VENDOR_NAMES_EN = {
    Vendor.APNS: "APNs", Vendor.FCM: "FCM", Vendor.HUAWEI: "Huawei", Vendor.XIAOMI: "Xiaomi",
    Vendor.OPPO: "OPPO", Vendor.VIVO: "VIVO", Vendor.MEIZU: "Meizu", Vendor.HONOR: "Honor",
}


class Environment(models.TextChoices):
    DEVELOPMENT = "development", _("Development")
    PRODUCTION = "production", _("Production")


class PushCertificate(models.Model):
    """The credentials an app's push vendor needs (SPEC §9), one row per (app, vendor, name).

    The columns every vendor shares are plain; the vendor's other non-secret settings are in ``options``;
    every secret, key and uploaded file is in ``secrets``, a JSON object encrypted at rest. Which fields go where
    is declared per vendor in apps/push/forms.py."""

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="push_certificates")
    vendor = models.CharField(_("vendor"), max_length=16, choices=Vendor.choices)
    name = models.CharField(_("certificate name"), max_length=128)
    package_name = models.CharField(_("package name or Bundle ID"), max_length=255, blank=True)
    environment = models.CharField(_("environment"), max_length=16, choices=Environment.choices, blank=True)
    options = models.JSONField(_("settings"), default=dict, blank=True)
    secrets = EncryptedTextField(_("secrets (encrypted JSON)"), blank=True, default="")
    file_name = models.CharField(_("uploaded file name"), max_length=255, blank=True)
    file_uploaded_at = models.DateTimeField(_("file uploaded at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("push certificate")
        verbose_name_plural = _("push certificates")
        ordering = ["vendor", "name"]
        constraints = [
            models.UniqueConstraint(fields=["app", "vendor", "name"], name="push_certificate_unique_name"),
            models.CheckConstraint(condition=models.Q(vendor__in=Vendor.values), name="push_certificate_vendor"),
            models.CheckConstraint(
                condition=models.Q(environment="") | models.Q(environment__in=Environment.values),
                name="push_certificate_environment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_vendor_display()} {self.name}"

    @property
    def secret_values(self) -> dict[str, str]:
        return json.loads(self.secrets) if self.secrets else {}

    @secret_values.setter
    def secret_values(self, values: dict[str, str]) -> None:
        self.secrets = json.dumps(values, sort_keys=True) if values else ""

    @property
    def days_left(self) -> int | None:
        """Whole days until the certificate expires (negative once expired); None when no expiry is known."""
        if self.expires_at is None:
            return None
        return (self.expires_at - timezone.now()).days

    @property
    def expiry_state(self) -> str:
        """"" (no expiry known), "ok", "expiring" (within 30 days) or "expired"."""
        if self.expires_at is None:
            return ""
        now = timezone.now()
        if self.expires_at <= now:
            return "expired"
        if self.expires_at - now <= dt.timedelta(days=EXPIRY_WARNING_DAYS):
            return "expiring"
        return "ok"
