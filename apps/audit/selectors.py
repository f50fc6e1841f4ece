from django.db.models import QuerySet

from apps.audit.models import AuditEntry


def audit_list(*, organization, app=None) -> QuerySet[AuditEntry]:
    """The org's audit entries, newest first, with who and which app in the same query."""
    qs = AuditEntry.objects.filter(organization=organization).select_related("actor", "app")
    if app is not None:
        qs = qs.filter(app=app)
    return qs
