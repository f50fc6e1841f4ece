import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex

from apps.accounts.roles import Action, Role, role_may
from console.fields import EncryptedTextField

ORG_NAME_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9-]{0,31}$",
    _("1–32 characters: lower-case letters, digits and “-”, starting with a letter."),
    code="invalid_org_name",
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


def _two_factor_epoch() -> str:
    return secrets.token_hex(16)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address; organizations are reached through memberships."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Changes whenever two-factor sign-in is switched on or off: "remember this device" cookies name it, so a
    # reset forgets every remembered device.
    two_factor_epoch = models.CharField(max_length=32, default=_two_factor_epoch, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email


class Organization(models.Model):
    """An OrgName: the first half of every AppKey. Immutable once created."""

    name = models.CharField(_("OrgName"), max_length=32, unique=True, validators=[ORG_NAME_VALIDATOR])
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    require_two_factor = models.BooleanField(_("two-factor sign-in required"), default=False)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organization_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["organization__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_user_org_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    def may(self, action: Action | str) -> bool:
        return role_may(self.role, action)


INVITATION_VALIDITY = timedelta(days=7)


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization} ({self.role})"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def is_pending(self, now: datetime | None = None) -> bool:
        return not self.is_accepted and not self.is_expired(now)


def _totp_key() -> str:
    return random_hex(20)


class TOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238): django-otp's device, with the secret key encrypted at rest.

    django-otp's own TOTPDevice keeps the key in a plain column; this one is the same device on
    ``EncryptedTextField``, verified with django-otp's TOTP and throttled by its ThrottlingMixin (1, 2, 4 … s
    after each failure). One per user; ``confirmed`` once a code from the app proved the enrolment.
    """

    STEP = 30
    DIGITS = 6
    TOLERANCE = 1  # one step before or after: clocks of phones drift

    key = EncryptedTextField(default=_totp_key)  # hex, 20 random bytes
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)  # the step of the last code accepted: no code works twice

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        constraints = [models.UniqueConstraint(fields=["user"], name="totpdevice_one_per_user")]

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    @property
    def base32_key(self) -> str:
        return b32encode(self.bin_key).decode("ascii").rstrip("=")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token) -> bool:
        allowed, _data = self.verify_is_allowed()
        if not allowed:
            return False
        token = str(token).strip().replace(" ", "")
        if not (token.isascii() and token.isdigit() and len(token) == self.DIGITS):
            self.throttle_increment(commit=True)
            return False
        totp = TOTP(self.bin_key, self.STEP, 0, self.DIGITS, self.drift)
        totp.time = time.time()
        if totp.verify(int(token), self.TOLERANCE, self.last_t + 1):
            self.last_t = totp.t()
            self.drift = totp.drift
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    def config_url(self, *, issuer: str) -> str:
        """The otpauth:// URI an authenticator app reads from the QR code."""
        issuer = issuer.replace(":", "")
        label = quote(f"{issuer}:{self.user.get_username()}")
        params = urlencode({"secret": self.base32_key, "algorithm": "SHA1", "digits": self.DIGITS,
                            "period": self.STEP, "issuer": issuer})
        return f"otpauth://totp/{label}?{params}"


class RecoveryCode(models.Model):
    """One of the 10 one-time codes for when the phone is lost. Only a SHA-256 of the code is stored (the codes
    are 60 random bits, so an unsalted hash is safe and can be looked up); it is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code of {self.user}"


class UserSession(models.Model):
    """A signed-in session of a user, so that the user can see and end each one. Keyed by the session's key (the
    session itself stays in Django's session store); ``last_seen_at`` is refreshed at most once a minute."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    device = models.CharField(_("device"), max_length=120, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} on {self.device or '?'}"


class SignInEvent(models.Model):
    """One sign-in attempt on an existing account, successful or not; kept 30 days."""

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        WRONG_PASSWORD = "wrong_password", _("Password refused")
        WRONG_CODE = "wrong_code", _("Two-factor code refused")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_events")
    outcome = models.CharField(_("result"), max_length=16, choices=Outcome.choices)
    device = models.CharField(_("device"), max_length=120, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-in history")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.outcome} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def succeeded(self) -> bool:
        return self.outcome == self.Outcome.SIGNED_IN


class KnownDevice(models.Model):
    """A browser the user has signed in from (its device cookie, hashed): a sign-in from any other one is mailed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_devices")
    device_hash = models.CharField(max_length=64)
    device = models.CharField(max_length=120, blank=True)
    first_seen_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "device_hash"], name="knowndevice_user_hash_unique")]

    def __str__(self) -> str:
        return f"{self.user} on {self.device or '?'}"
