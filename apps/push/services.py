"""Writes of push certificates. Each change writes an audit entry in the same transaction; audit details name
the fields that changed, never their values when they are secret."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import audit_app
from apps.push.exceptions import DuplicateCertificate
from apps.push.models import VENDOR_NAMES_EN, PushCertificate
from orders.entitlements import require_feature


@dataclass(frozen=True)
class CertificateValues:
    """Everything a vendor form decided about one certificate (apps/push/forms.py)."""

    name: str
    package_name: str = ""
    environment: str = ""
    options: dict = field(default_factory=dict)
    secrets: dict = field(default_factory=dict)
    file_name: str = ""
    file_uploaded_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None


PLAIN_COLUMNS = ("name", "package_name", "environment", "options", "file_name", "file_uploaded_at", "expires_at")


def _actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _detail(certificate: PushCertificate, **more) -> dict:
    return {"vendor": certificate.vendor, "vendor_name": VENDOR_NAMES_EN[certificate.vendor],
            "name": certificate.name, **more}


def _save(certificate: PushCertificate) -> None:
    certificate.full_clean(validate_constraints=False)  # uniqueness: checked by the caller, backed by the DB
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:
        raise DuplicateCertificate(certificate.vendor, certificate.name) from exc


def _changed_keys(before: dict, after: dict) -> list[str]:
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))


def _name_taken(*, app, vendor: str, name: str, exclude_pk: int | None = None) -> bool:
    rows = PushCertificate.objects.filter(app=app, vendor=vendor, name=name)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.exists()


@transaction.atomic
def push_certificate_create(*, app, actor, vendor: str, values: CertificateValues) -> PushCertificate:
    """Add a certificate. Raises DuplicateCertificate when the app has one of this vendor with this name."""
    require_feature(app=app, code="push")
    if _name_taken(app=app, vendor=vendor, name=values.name):
        raise DuplicateCertificate(vendor, values.name)
    now = timezone.now()
    certificate = PushCertificate(app=app, vendor=vendor, created_at=now, updated_at=now,
                                  created_by=_actor_or_none(actor), updated_by=_actor_or_none(actor))
    for column in PLAIN_COLUMNS:
        setattr(certificate, column, getattr(values, column))
    certificate.secret_values = values.secrets
    _save(certificate)
    audit_app(
        app=app,
        actor=actor,
        action="push.certificate_added",
        summary=f"{VENDOR_NAMES_EN[vendor]} push certificate {values.name} added",
        detail=_detail(certificate, package_name=certificate.package_name, environment=certificate.environment),
    )
    return certificate


@transaction.atomic
def push_certificate_update(*, certificate: PushCertificate, actor, values: CertificateValues) -> bool:
    """Save new values. Returns False (and writes nothing) when nothing changed."""
    require_feature(app=certificate.app, code="push")
    certificate = PushCertificate.objects.select_for_update().get(pk=certificate.pk)
    changed = [column for column in PLAIN_COLUMNS
               if column != "options" and getattr(certificate, column) != getattr(values, column)]
    changed += _changed_keys(certificate.options, values.options)
    changed += _changed_keys(certificate.secret_values, values.secrets)
    if not changed:
        return False
    if "name" in changed and _name_taken(app=certificate.app, vendor=certificate.vendor, name=values.name,
                                         exclude_pk=certificate.pk):
        raise DuplicateCertificate(certificate.vendor, values.name)
    old_name = certificate.name
    for column in PLAIN_COLUMNS:
        setattr(certificate, column, getattr(values, column))
    certificate.secret_values = values.secrets
    certificate.updated_at = timezone.now()
    certificate.updated_by = _actor_or_none(actor)
    _save(certificate)
    # An upload changes three columns; the log says "file" once.
    fields = sorted({"file" if name == "file_uploaded_at" else name for name in changed
                     if name not in ("file_name", "expires_at")})
    audit_app(
        app=certificate.app,
        actor=actor,
        action="push.certificate_updated",
        summary=f"{VENDOR_NAMES_EN[certificate.vendor]} push certificate {certificate.name} changed: "
                f"{', '.join(fields)}",
        detail=_detail(certificate, fields=fields, old_name=old_name),
    )
    return True


@transaction.atomic
def push_certificate_delete(*, certificate: PushCertificate, actor) -> bool:
    """Delete a certificate. Returns False (and writes nothing) when it was already gone."""
    require_feature(app=certificate.app, code="push")
    deleted, _by_model = PushCertificate.objects.filter(pk=certificate.pk).delete()
    if not deleted:
        return False
    audit_app(
        app=certificate.app,
        actor=actor,
        action="push.certificate_deleted",
        summary=f"{VENDOR_NAMES_EN[certificate.vendor]} push certificate {certificate.name} deleted",
        detail=_detail(certificate),
    )
    return True
