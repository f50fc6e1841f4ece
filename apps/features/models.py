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
