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


def model_update(*, instance, data: dict, app, actor, action: str, summary, detail=None, touch: dict | None = None
                 ) -> list[str]:
    """Compare, save if changed, audit: the settings services' one way to apply a form to a row.

    The fields of ``data`` that differ from ``instance`` are set, checked (``full_clean``) and saved with
    ``update_fields`` together with ``touch`` (e.g. ``updated_at``), and one audit entry about ``app`` is written.
    ``summary`` and ``detail`` are values or callables ``(changed, before)``, where ``before`` holds the old
    values of every field of ``data``. Nothing changed: nothing saved, nothing audited. Returns the changed
    field names, sorted. Call it inside the service's transaction, on a locked row."""
    before = {field: getattr(instance, field) for field in data}
    changed = sorted(field for field, value in data.items() if before[field] != value)
    if not changed:
        return []
    for field in changed:
        setattr(instance, field, data[field])
    for field, value in (touch or {}).items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save(update_fields=[*changed, *(touch or {})])
    audit_app(
        app=app, actor=actor, action=action,
        summary=summary(changed, before) if callable(summary) else summary,
        detail=detail(changed, before) if callable(detail) else detail,
    )
    return changed
