from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_app
from apps.im.models import ServiceSettings


@transaction.atomic
def service_settings_update(
    *, app, actor, token_ttl_seconds: int, registration_mode: str
) -> tuple[ServiceSettings, bool]:
    """Save the app's token validity and user registration mode. Returns (settings, changed)."""
    settings, created = ServiceSettings.objects.select_for_update().get_or_create(app=app)
    before = {"token_ttl_seconds": settings.token_ttl_seconds, "registration": settings.registration_mode}
    after = {"token_ttl_seconds": token_ttl_seconds, "registration": registration_mode}
    if before == after and not created:
        return settings, False
    settings.token_ttl_seconds = token_ttl_seconds
    settings.registration_mode = registration_mode
    settings.updated_at = timezone.now()
    settings.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    settings.full_clean()
    settings.save()
    if before != after:
        audit_app(
            app=app,
            actor=actor,
            action="im.settings_update",
            summary=f"IM service: token validity {token_ttl_seconds}s, registration {registration_mode}",
            detail=after,
        )
    return settings, before != after
