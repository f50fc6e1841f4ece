"""Two-factor sign-in (TOTP) with django-otp: enrolment, codes, recovery codes, "remember this device", and the
organization rule that every member must have it.

A user has two-factor sign-in when their TOTPDevice is confirmed. Sign-in then asks for a code after the
password (apps.accounts.views.LoginView and login_code); a recovery code works once instead. A remembered
device carries a signed cookie naming the user and their ``two_factor_epoch``, which changes when two-factor
sign-in is switched on or off, so that forgets every remembered device.
"""

import hashlib
import secrets
from datetime import timedelta

import segno
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.exceptions import AccountError, RoleNotAllowed
from apps.accounts.models import Membership, Organization, RecoveryCode, TOTPDevice, User
from apps.accounts.roles import Role
from apps.audit.services import audit_record

RECOVERY_CODE_COUNT = 10
REMEMBER_COOKIE = "console_2fa_remember"
REMEMBER_FOR = timedelta(days=30)
_REMEMBER_SALT = "apps.accounts.twofactor.remember"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class TwoFactorError(AccountError):
    pass


def totp_device(*, user: User, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.first()


def has_two_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_has_two_factor", None)
    if cached is None:
        cached = user._has_two_factor = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return cached


def enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose key the enrol page shows; the same one until confirmed (a reload keeps the
    QR code the user may have scanned already)."""
    if has_two_factor(user):
        raise TwoFactorError(_("Two-factor sign-in is on already."))
    device, _created = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "Authenticator",
                                                                          "confirmed": False})
    return device


@transaction.atomic
def enrolment_confirm(*, user: User, code: str) -> list[str]:
    """Switch two-factor sign-in on when ``code`` matches the pending device; returns the recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise TwoFactorError(_("Start the set-up again: the pending key was not found."))
    if not device.verify_token(code):
        raise TwoFactorError(_("The code is not correct. Check the time on your phone and try again."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _new_epoch(user)
    user._has_two_factor = True
    return recovery_codes_replace(user=user)


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    blocking = Organization.objects.filter(memberships__user=user, require_two_factor=True).order_by("name").first()
    if blocking is not None:
        raise TwoFactorError(
            _("Organization %(org)s requires two-factor sign-in: it cannot be switched off.")
            % {"org": blocking.name}
        )
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    _new_epoch(user)
    user._has_two_factor = False


def _new_epoch(user: User) -> None:
    user.two_factor_epoch = secrets.token_hex(16)
    user.save(update_fields=["two_factor_epoch"])


def _hash_code(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """10 new one-time codes (the old ones stop working); the plaintext exists only in the returned list."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TwoFactorError(_("Switch on two-factor sign-in first."))
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash_code(code)) for code in codes)
    return codes


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def verify_code(*, user: User, code: str) -> bool:
    """A current code of the user's authenticator app, or an unused recovery code (then used up)."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return False
    device = totp_device(user=user)
    if device is None:
        return False
    digits = code.replace(" ", "")
    if digits.isascii() and digits.isdigit():
        return device.verify_token(digits)
    # Exactly one request can use a recovery code: the update is conditional on it being unused.
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_hash_code(code), used_at__isnull=True
    ).order_by("pk")[:1].values_list("pk", flat=True)
    return RecoveryCode.objects.filter(pk__in=list(used), used_at__isnull=True).update(used_at=timezone.now()) == 1


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code rendered here (no third-party service ever sees the key), as a data: URI for <img>."""
    return segno.make(text, error="m").svg_data_uri(scale=5, border=2)


def issuer_name() -> str:
    return str(settings.CONSOLE_PRODUCT_NAME)


# --- remember this device ------------------------------------------------------------------------


def remember_cookie_value(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.two_factor_epoch}, salt=_REMEMBER_SALT, compress=True)


def is_remembered(*, user: User, cookie_value: str | None) -> bool:
    if not cookie_value:
        return False
    try:
        data = signing.loads(cookie_value, salt=_REMEMBER_SALT, max_age=REMEMBER_FOR)
    except signing.BadSignature:
        return False
    return (isinstance(data, dict) and data.get("u") == user.pk
            and secrets.compare_digest(str(data.get("e", "")), user.two_factor_epoch))


def set_remember_cookie(response, *, user: User) -> None:
    response.set_cookie(
        REMEMBER_COOKIE, remember_cookie_value(user=user), max_age=int(REMEMBER_FOR.total_seconds()),
        httponly=True, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
    )


# --- the organization rule -----------------------------------------------------------------------


@transaction.atomic
def organization_require_two_factor(*, actor: Membership, required: bool) -> Organization:
    """An owner requires two-factor sign-in of every member (or stops requiring it); the owner needs it first."""
    if actor.role != Role.OWNER:
        raise RoleNotAllowed(_("Only an owner can change this."))
    organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
    if required and not has_two_factor(actor.user):
        raise TwoFactorError(_("Switch on two-factor sign-in for your own account first."))
    if organization.require_two_factor == required:
        return organization
    organization.require_two_factor = required
    organization.save(update_fields=["require_two_factor"])
    audit_record(
        organization=organization, actor=actor.user,
        action="organization.two_factor_required" if required else "organization.two_factor_optional",
        summary=f"Two-factor sign-in {'required' if required else 'optional'}",
    )
    return organization
