import secrets
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from console.fields import EncryptedTextField
from console.i18n import BilingualNamed

APP_NAME_VALIDATOR = RegexValidator(
    r"^[a-z0-9-]{1,32}$",
    _("1–32 characters: lower-case letters, digits and “-”."),
    code="invalid_app_name",
)
# Names that would shadow a console URL under apps/ (apps/new/ is the create form).
RESERVED_APP_NAMES = frozenset({"new"})


class DataCenter(BilingualNamed):
    """Where an app's data lives, with the hosts its SDKs talk to. Catalog data, staff-editable."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    rest_host = models.CharField(_("REST host"), max_length=255)
    ws_host = models.CharField(_("WebSocket host"), max_length=255)
    is_active = models.BooleanField(_("open for new apps"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("data center")
        verbose_name_plural = _("data centers")
        ordering = ["sort_order", "code"]



def _client_id() -> str:
    return "YXA6" + secrets.token_urlsafe(16)


def _client_secret() -> str:
    return "YXA6" + secrets.token_urlsafe(24)


def app_key(org_name: str, app_name: str) -> str:
    """The AppKey, ``OrgName#AppName``: also for rows read as values (the order list, bill lines)."""
    return f"{org_name}#{app_name}"


class App(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DISABLED = "disabled", _("Disabled")

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="apps")
    name = models.CharField(_("AppName"), max_length=32, validators=[APP_NAME_VALIDATOR])
    product_name = models.CharField(_("product name"), max_length=32)
    description = models.TextField(_("description"), max_length=512, blank=True)
    data_center = models.ForeignKey(DataCenter, on_delete=models.PROTECT, related_name="apps")
    # Easemob's "application" field of every REST answer: an id that says nothing about the database.
    uuid = models.UUIDField(_("application UUID"), default=uuid.uuid4, unique=True, editable=False)
    client_id = models.CharField(_("Client ID"), max_length=64, unique=True, default=_client_id, editable=False)
    client_secret = EncryptedTextField(_("Client Secret"), default=_client_secret, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("app")
        verbose_name_plural = _("apps")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="app_name_unique_in_org"),
        ]
        # The app list's page in this order (issue 14: without it PostgreSQL sorted all 1,000 apps of the bench org
        # for each page of 20, 1.5 ms; with it, it reads the 20).
        indexes = [models.Index(fields=["organization", "-created_at", "-id"], name="app_org_newest_idx")]

    def __str__(self) -> str:
        return self.app_key

    def clean(self):
        super().clean()
        if self._state.adding and self.name in RESERVED_APP_NAMES:
            raise ValidationError({"name": _("This AppName is reserved; choose another.")}, code="reserved_app_name")

    @property
    def app_key(self) -> str:
        return app_key(self.organization.name, self.name)
