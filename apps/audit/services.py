from apps.audit.models import AuditEntry


def audit_record(*, organization, actor, action: str, summary: str = "", app=None, detail=None) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction so both land or neither does."""
    return AuditEntry.objects.create(
        organization=organization,
        app=app,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=summary[:255],
        detail=detail or {},
    )


def audit_app(*, app, actor, action: str, summary: str = "", detail=None) -> AuditEntry:
    """An audit entry about one app, filed under the app's organization."""
    return audit_record(organization=app.organization, actor=actor, app=app, action=action, summary=summary,
                        detail=detail)
