from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppFeature(models.Model):
    """A switch feature turned on for an app ("Enable for free"). No row means off."""

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="app_features")
    feature = models.ForeignKey("plans.Feature", on_delete=models.PROTECT, related_name="+")
    enabled = models.BooleanField(_("enabled"), default=True)
    enabled_at = models.DateTimeField(_("enabled at"), default=timezone.now)
    enabled_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("app feature")
        verbose_name_plural = _("app features")
        constraints = [models.UniqueConstraint(fields=["app", "feature"], name="app_feature_unique")]

    def __str__(self) -> str:
        return f"{self.app_id}:{self.feature_id}"


RECALL_MIN_SECONDS = 60
RECALL_MAX_SECONDS = 7 * 24 * 60 * 60
RECALL_DEFAULT_SECONDS = 2 * 60


class RecallSettings(models.Model):
    """Message recall limits of an app (SPEC §9): how long after sending a message may be recalled."""

    app = models.OneToOneField("applications.App", on_delete=models.CASCADE, related_name="recall_settings")
    client_recall_seconds = models.PositiveIntegerField(
        _("client recall time (seconds)"),
        default=RECALL_DEFAULT_SECONDS,
        validators=[MinValueValidator(RECALL_MIN_SECONDS), MaxValueValidator(RECALL_MAX_SECONDS)],
    )
    rest_recall_seconds = models.PositiveIntegerField(
        _("REST recall time (seconds)"),
        default=RECALL_DEFAULT_SECONDS,
        validators=[MinValueValidator(RECALL_MIN_SECONDS), MaxValueValidator(RECALL_MAX_SECONDS)],
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("message recall settings")
        verbose_name_plural = _("message recall settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(client_recall_seconds__gte=RECALL_MIN_SECONDS)
                & models.Q(client_recall_seconds__lte=RECALL_MAX_SECONDS)
                & models.Q(rest_recall_seconds__gte=RECALL_MIN_SECONDS)
                & models.Q(rest_recall_seconds__lte=RECALL_MAX_SECONDS),
                name="recall_times_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.app_id}: {self.client_recall_seconds}s / {self.rest_recall_seconds}s"
