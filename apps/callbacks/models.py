from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.callbacks.guard import URL_MAX_CHARS, TargetRefused, parse_url
from console import crypto
from console.fields import EncryptedTextField

NAME_MAX_CHARS = 32
WAIT_MS_MIN, WAIT_MS_MAX, WAIT_MS_DEFAULT = 50, 5000, 200
EXCERPT_MAX_CHARS = 500


class ChatType(models.TextChoices):
    """Easemob's ``chat_type`` values."""

    SINGLE = "chat", _("One-to-one chat")
    GROUP = "groupchat", _("Group")
    CHAT_ROOM = "chatroom", _("Chat room")


class MessageType(models.TextChoices):
    """Easemob's message body types."""

    TEXT = "txt", _("Text")
    IMAGE = "img", _("Image")
    VIDEO = "video", _("Video")
    LOCATION = "loc", _("Location")
    VOICE = "audio", _("Voice")
    FILE = "file", _("File")
    COMMAND = "cmd", _("Command")
    CUSTOM = "custom", _("Custom")


def ordered_choices(values, choices: type[models.TextChoices]) -> list[str]:
    """The known values among ``values``, once each, in the order of the choices."""
    chosen = set(values)
    return [value for value in choices.values if value in chosen]


class CallbackRule(models.Model):
    """Where the IM service calls the customer's server for an app's messages (SPEC §9).

    A pre-send rule is asked before a message is delivered and may block it (``wait_ms``, ``on_failure``);
    a post-send rule is told after. ``secret`` signs every call and is encrypted at rest."""

    class Kind(models.TextChoices):
        PRE_SEND = "pre_send", _("Pre-send")
        POST_SEND = "post_send", _("Post-send")

    class OnFailure(models.TextChoices):
        PASS = "pass", _("Deliver the message")
        BLOCK = "block", _("Block the message")

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="callback_rules")
    name = models.CharField(_("rule name"), max_length=NAME_MAX_CHARS)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    url = models.CharField(_("callback URL"), max_length=URL_MAX_CHARS)
    chat_types = models.JSONField(_("chat types"), default=list)
    message_types = models.JSONField(_("message types"), default=list)
    enabled = models.BooleanField(_("enabled"), default=True)
    wait_ms = models.PositiveIntegerField(
        _("wait time (ms)"), default=WAIT_MS_DEFAULT,
        validators=[MinValueValidator(WAIT_MS_MIN), MaxValueValidator(WAIT_MS_MAX)],
    )
    on_failure = models.CharField(_("on failure"), max_length=8, choices=OnFailure.choices, default=OnFailure.PASS)
    secret = EncryptedTextField(_("secret"))
    secret_rotated_at = models.DateTimeField(_("secret generated at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # When the last test event was queued: one per TEST_EVENT_INTERVAL_SECONDS, so the button cannot be used to
    # make the platform flood a URL.
    test_queued_at = models.DateTimeField(_("test event queued at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("callback rule")
        verbose_name_plural = _("callback rules")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["app", "name"], name="callback_rule_name_unique_in_app"),
            models.CheckConstraint(
                condition=models.Q(wait_ms__gte=WAIT_MS_MIN, wait_ms__lte=WAIT_MS_MAX),
                name="callback_rule_wait_ms_in_range",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=["pre_send", "post_send"]),
                                   name="callback_rule_kind_known"),
            models.CheckConstraint(condition=models.Q(on_failure__in=["pass", "block"]),
                                   name="callback_rule_on_failure_known"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        for field, choices in (("chat_types", ChatType), ("message_types", MessageType)):
            values = getattr(self, field)
            if not isinstance(values, list) or not values:
                errors[field] = _("Choose at least one.")
            elif ordered_choices(values, choices) != values:
                errors[field] = _("Unknown or repeated values; choose from the list.")
        try:
            parse_url(self.url)
        except TargetRefused as exc:
            errors["url"] = exc.message
        if errors:
            raise ValidationError(errors)

    @property
    def is_pre_send(self) -> bool:
        return self.kind == self.Kind.PRE_SEND

    @property
    def masked_secret(self) -> str:
        return crypto.mask(self.secret)

    def chat_type_labels(self) -> list[str]:
        return [str(ChatType(value).label) for value in self.chat_types if value in ChatType.values]

    def message_type_labels(self) -> list[str]:
        return [str(MessageType(value).label) for value in self.message_types if value in MessageType.values]


class CallbackDelivery(models.Model):
    """One attempt to call a rule's URL (a test event: a first attempt and at most one retry)."""

    rule = models.ForeignKey(CallbackRule, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.CharField(_("delivery ID"), max_length=64)
    event = models.CharField(_("event"), max_length=32, default="test")
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    attempted_at = models.DateTimeField(_("time"), default=timezone.now)
    url = models.CharField(_("URL"), max_length=URL_MAX_CHARS)
    address = models.CharField(_("address"), max_length=45, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    error = models.CharField(_("error"), max_length=255, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    response_excerpt = models.TextField(_("response excerpt"), max_length=EXCERPT_MAX_CHARS, blank=True)

    class Meta:
        verbose_name = _("callback delivery")
        verbose_name_plural = _("callback deliveries")
        ordering = ["-attempted_at", "-id"]
        indexes = [models.Index(fields=["rule", "-attempted_at", "-id"], name="callback_delivery_recent")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.attempt}"
