"""The data of the IM REST service (SPEC §11): per-app service settings, IM users, groups, stored messages."""

import secrets
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_TTL_MIN_SECONDS = 60 * 60
TOKEN_TTL_MAX_SECONDS = 365 * 24 * 60 * 60
TOKEN_TTL_DEFAULT_SECONDS = 60 * 24 * 60 * 60


class ServiceSettings(models.Model):
    """How an app's IM REST service issues tokens and accepts registrations; no row means the defaults."""

    class RegistrationMode(models.TextChoices):
        AUTHORIZED = "authorized", _("Authorized (registering needs an app token)")
        OPEN = "open", _("Open (clients may register without a token)")

    app = models.OneToOneField("applications.App", on_delete=models.CASCADE, related_name="im_service_settings")
    token_ttl_seconds = models.PositiveIntegerField(
        _("token validity (seconds)"),
        default=TOKEN_TTL_DEFAULT_SECONDS,
        validators=[MinValueValidator(TOKEN_TTL_MIN_SECONDS), MaxValueValidator(TOKEN_TTL_MAX_SECONDS)],
    )
    registration_mode = models.CharField(
        _("user registration mode"), max_length=16, choices=RegistrationMode.choices,
        default=RegistrationMode.AUTHORIZED,
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("IM service settings")
        verbose_name_plural = _("IM service settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(token_ttl_seconds__gte=TOKEN_TTL_MIN_SECONDS)
                & models.Q(token_ttl_seconds__lte=TOKEN_TTL_MAX_SECONDS),
                name="im_token_ttl_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_mode__in=["authorized", "open"]),
                name="im_registration_mode_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.app_id}: {self.token_ttl_seconds}s, {self.registration_mode}"


class ImUser(models.Model):
    """A user of the app's IM service (Easemob's "user" entity). The password is a Django password hash."""

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="im_users")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    username = models.CharField(max_length=64)
    password = models.CharField(max_length=128)
    nickname = models.CharField(max_length=100, blank=True)
    activated = models.BooleanField(default=True)
    # Force logout: user tokens issued before this instant are refused.
    tokens_valid_after = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(default=timezone.now)
    # The groups the user is a member of (owned ones included), kept by the group services under the user's row
    # lock in the transaction that changes a membership: the groups-per-user cap and the usage page's busiest
    # user read it instead of counting memberships.
    group_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("IM user")
        verbose_name_plural = _("IM users")
        constraints = [models.UniqueConstraint(fields=["app", "username"], name="im_user_unique_username")]
        # The app's busiest user (MAX(group_count)) is one index read.
        indexes = [models.Index(fields=["app", "group_count"], name="im_user_app_group_count")]

    def __str__(self) -> str:
        return self.username


class UserCounter(models.Model):
    """One row per app, locked by registrations so that concurrent ones cannot pass the registered-user cap.
    ``registered`` is the app's IM user count, kept by the services that register and delete users under that
    lock, so the pages read it instead of counting 100,000 rows on each view."""

    app = models.OneToOneField("applications.App", on_delete=models.CASCADE, related_name="im_user_counter")
    registered = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.app_id)


def _group_id() -> str:
    # Easemob group ids are 15-digit decimal strings.
    return str(100_000_000_000_000 + secrets.randbelow(900_000_000_000_000))


class ImGroup(models.Model):
    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="im_groups")
    group_id = models.CharField(max_length=20, default=_group_id)
    name = models.CharField(max_length=128)
    description = models.CharField(max_length=512, blank=True)
    public = models.BooleanField(default=True)
    maxusers = models.PositiveIntegerField()
    owner = models.ForeignKey(ImUser, on_delete=models.CASCADE, related_name="owned_groups")
    created = models.DateTimeField(default=timezone.now)
    # Members, the owner included, kept by the group services under the group's row lock in the transaction that
    # changes a membership: the members-per-group cap, the pages and the largest group read it.
    member_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("IM group")
        verbose_name_plural = _("IM groups")
        constraints = [models.UniqueConstraint(fields=["app", "group_id"], name="im_group_unique_id")]
        # The app's largest group (MAX(member_count)) is one index read.
        indexes = [models.Index(fields=["app", "member_count"], name="im_group_app_member_count")]

    def __str__(self) -> str:
        return self.group_id


class ImGroupMember(models.Model):
    """Membership of a group, the owner included (Easemob counts the owner in ``maxusers``)."""

    class Role(models.TextChoices):
        OWNER = "owner", "owner"
        MEMBER = "member", "member"

    group = models.ForeignKey(ImGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(ImUser, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("IM group member")
        verbose_name_plural = _("IM group members")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="im_group_member_unique")]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.user_id}"


class ImMessage(models.Model):
    """A message as delivered to one receiver (a user, or a group): Easemob gives each its own id.
    ``body`` is what receivers get (sensitive words already replaced)."""

    class ChatType(models.TextChoices):
        CHAT = "chat", "chat"
        GROUPCHAT = "groupchat", "groupchat"

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="im_messages")
    msg_id = models.CharField(max_length=24, unique=True)
    from_user = models.CharField(max_length=64)
    to = models.CharField(max_length=64)
    chat_type = models.CharField(max_length=16, choices=ChatType.choices)
    msg_type = models.CharField(max_length=16)
    body = models.JSONField()
    ext = models.JSONField(null=True, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    recalled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("IM message")
        verbose_name_plural = _("IM messages")
        indexes = [models.Index(fields=["app", "sent_at"], name="im_message_app_sent")]

    def __str__(self) -> str:
        return self.msg_id


class UsageFigures(models.Model):
    """The figures that add up over apps: REST calls by status class and messages sent."""

    calls_2xx = models.PositiveBigIntegerField(_("successful REST calls"), default=0)
    calls_4xx = models.PositiveBigIntegerField(_("refused REST calls (4xx except 429)"), default=0)
    calls_429 = models.PositiveBigIntegerField(_("rate-limited REST calls (429)"), default=0)
    calls_5xx = models.PositiveBigIntegerField(_("failed REST calls (5xx)"), default=0)
    messages = models.PositiveBigIntegerField(_("messages sent"), default=0)

    class Meta:
        abstract = True

    @property
    def calls(self) -> int:
        return self.calls_2xx + self.calls_4xx + self.calls_429 + self.calls_5xx


class UsageDay(UsageFigures):
    """What one app consumed on one business day (Asia/Shanghai), SPEC §12. Written by the usage roll-up (from
    the Redis counters) or, on the embedded default without Redis, by the metering calls themselves. Every
    figure only grows within a day: the roll-up writes ``GREATEST(stored, counted)``, so it is idempotent and
    concurrent runs cannot lower a number."""

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="im_usage_days")
    day = models.DateField(_("day"))
    active_users = models.PositiveIntegerField(_("daily active users"), default=0)
    peak_calls_per_second = models.PositiveIntegerField(_("peak REST calls in one second"), default=0)
    registered_users = models.PositiveIntegerField(_("registered users (peak of the day)"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("IM usage day")
        verbose_name_plural = _("IM usage days")
        constraints = [models.UniqueConstraint(fields=["app", "day"], name="im_usage_day_unique")]
        # The quota alert reads one day across every app each run (selectors.usage_peaks_on): without it, a scan
        # of every app's whole history.
        indexes = [models.Index(fields=["day"], name="im_usage_day_day_idx")]

    def __str__(self) -> str:
        return f"{self.app_id} {self.day}"


class OrgUsageDay(UsageFigures):
    """An organization's apps summed over one business day: what the organization usage page reads (30 rows
    instead of every app's ``UsageDay`` rows). Written only by the usage roll-up (``services.usage``), one
    set-based statement per run over the days it touched, each figure as ``GREATEST(stored, summed)``: like the
    app rows, a figure only grows, so reruns and overlapping runs agree. DAU is the sum of the apps' DAU (each app
    is its own IM service). Usage of an app deleted later stays in the days it was counted in."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    active_users = models.PositiveBigIntegerField(_("daily active users"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("IM organization usage day")
        verbose_name_plural = _("IM organization usage days")
        constraints = [models.UniqueConstraint(fields=["organization", "day"], name="im_org_usage_day_unique")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.day}"


class ActiveUserDay(models.Model):
    """On the embedded default (no Redis), the distinct IM users active on a business day: a unique row per
    user and day, so the daily active count is exact. With Redis a HyperLogLog counts them instead."""

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    username = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["app", "day", "username"], name="im_active_user_day_unique")]

    def __str__(self) -> str:
        return f"{self.app_id} {self.day} {self.username}"
