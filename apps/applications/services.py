from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Organization
from apps.applications.exceptions import AppFieldImmutable, AppLimitReached, AppNameTaken
from apps.applications.models import App, DataCenter
from apps.audit.services import audit_app, audit_record, model_update
from apps.plans.models import CatalogSettings

# What the edit form may change; everything else on an app is fixed at creation (SPEC §5).
EDITABLE_FIELDS = ("product_name", "description")
IMMUTABLE_FIELDS = ("name", "data_center", "organization", "client_id")


@transaction.atomic
def app_create(
    *,
    organization: Organization,
    actor,
    name: str,
    product_name: str,
    data_center: DataCenter,
    description: str = "",
) -> App:
    """Create an app on the Free plan (Free has no order). The org row is locked first so that two concurrent
    creates cannot both pass the app limit or both take the same AppName."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    limit = CatalogSettings.load().app_limit
    if App.objects.filter(organization=organization).count() >= limit:
        raise AppLimitReached(limit)
    if App.objects.filter(organization=organization, name=name).exists():
        raise AppNameTaken()
    if not data_center.is_active:
        raise ValidationError({"data_center": _("This data center is not open for new apps.")})
    app = App(
        organization=organization,
        name=name,
        product_name=product_name,
        description=description,
        data_center=data_center,
    )
    app.full_clean()
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError as exc:
        raise AppNameTaken() from exc
    audit_record(
        organization=organization,
        actor=actor,
        app=app,
        action="app.created",
        summary=f"Created app {app.name} in {data_center.name_en}",
        detail={"app_key": app.app_key, "data_center": data_center.code},
    )
    return app


@transaction.atomic
def app_update(*, app: App, actor, **changes) -> App:
    """Change the product name and/or description. AppName, data center, org and Client ID are immutable:
    asking to change them raises AppFieldImmutable (passing the current value is harmless)."""
    app = App.objects.select_for_update().select_related("organization", "data_center").get(pk=app.pk)
    for field in IMMUTABLE_FIELDS:
        if field in changes and _differs(app, field, changes[field]):
            raise AppFieldImmutable(str(App._meta.get_field(field).verbose_name))
        changes.pop(field, None)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"app_update() cannot change {', '.join(sorted(unknown))}")
    model_update(
        instance=app, data=changes, app=app, actor=actor, action="app.updated",
        summary=lambda changed, _before: f"Changed {', '.join(changed)} of app {app.name}",
        detail=lambda changed, _before: {"fields": changed},
    )
    return app


def _differs(app: App, field: str, value) -> bool:
    current = getattr(app, field)
    if hasattr(current, "pk"):
        return getattr(value, "pk", value) != current.pk
    return value != current


@transaction.atomic
def app_secret_reveal(*, app: App, actor) -> str:
    """The plaintext Client Secret, for a member who has just re-entered their password; leaves an audit entry."""
    audit_app(
        app=app,
        actor=actor,
        action="app.secret_revealed",
        summary=f"Revealed the Client Secret of app {app.name}",
    )
    return app.client_secret


@transaction.atomic
def app_secret_rotate(*, app: App, actor) -> App:
    """Replace the Client Secret; the old one stops being valid at once. The Client ID stays."""
    app = App.objects.select_for_update().select_related("organization", "data_center").get(pk=app.pk)
    app.client_secret = App._meta.get_field("client_secret").get_default()
    app.save(update_fields=["client_secret"])
    audit_app(
        app=app,
        actor=actor,
        action="app.secret_rotated",
        summary=f"Rotated the Client Secret of app {app.name}",
    )
    return app
