"""Writes of an app's features. Each change writes an audit entry in the same transaction."""

from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_app, model_update
from apps.features.exceptions import UnknownFeature
from apps.features.models import AppFeature, RecallSettings
from apps.plans.models import Feature
from orders.entitlements import require_feature


@transaction.atomic
def app_feature_enable(*, app, feature_code: str, actor) -> tuple[AppFeature, bool]:
    """"Enable for free": turn on a switch feature the plan includes. Idempotent: enabling a feature
    that is already on changes nothing and writes no audit entry. Returns (row, changed)."""
    feature = Feature.objects.filter(code=feature_code, kind=Feature.Kind.SWITCH).first()
    if feature is None:
        raise UnknownFeature(f"No switch feature {feature_code!r}.")
    require_feature(app=app, code=feature.code)
    now = timezone.now()
    row, created = AppFeature.objects.get_or_create(
        app=app, feature=feature, defaults={"enabled": True, "enabled_at": now, "enabled_by": actor}
    )
    changed = created
    if not created:
        changed = bool(
            AppFeature.objects.filter(pk=row.pk, enabled=False).update(enabled=True, enabled_at=now, enabled_by=actor)
        )
        if changed:
            row.refresh_from_db()
    if changed:
        audit_app(
            app=app,
            actor=actor,
            action="feature.enable",
            summary=f"Enabled {feature.name_en}",
            detail={"feature": feature.code},
        )
    return row, changed


@transaction.atomic
def recall_settings_update(
    *, app, actor, client_recall_seconds: int, rest_recall_seconds: int
) -> tuple[RecallSettings, bool]:
    """Save the app's message recall times (1 minute to 7 days each). Returns (settings, changed)."""
    require_feature(app=app, code="recall")
    settings, _created = RecallSettings.objects.select_for_update().get_or_create(app=app)
    after = {"client_recall_seconds": client_recall_seconds, "rest_recall_seconds": rest_recall_seconds}
    changed = model_update(
        instance=settings, data=after, app=app, actor=actor, action="recall.update",
        summary=f"Message recall: client {client_recall_seconds}s, REST {rest_recall_seconds}s",
        detail=lambda _changed, before: {"before": before, "after": after},
        touch={"updated_at": timezone.now(),
               "updated_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    return settings, bool(changed)
