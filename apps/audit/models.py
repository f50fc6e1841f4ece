from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what, when, in which org and app. Written by services, never edited."""

    # The organization and app keys are not checked by the database (issue 14: the deferred per-row checks of the
    # activation job's 10,000 entries were 12% of its time, and each check locks the app's row). An entry is only
    # ever inserted, by a service that holds the organization and app it names (the activation statement takes
    # them from the order rows it updates, whose own keys are checked); organizations and apps are never deleted
    # by the product, and the ORM's CASCADE / SET_NULL still apply when staff delete one in the admin. No index
    # of its own on organization: audit_org_time_idx starts with it.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="audit_entries", db_constraint=False,
        db_index=False,
    )
    app = models.ForeignKey(
        "applications.App", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries",
        db_constraint=False,
    )
    # Indexed only where set (audit_actor_idx): the job's entries have no actor, and the one reader (a user's
    # deletion setting it to NULL) asks for given users.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              db_index=False)
    action = models.CharField(_("action"), max_length=64)
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="audit_org_time_idx"),
            models.Index(fields=["actor"], condition=Q(actor__isnull=False), name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
