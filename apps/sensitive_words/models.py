import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.sensitive_words import matcher

WORD_MAX_LENGTH = 128
WORDS_PER_APP = 10_000
# casefold() may lengthen a word (up to three characters for one), and the key is the folded word.
KEY_MAX_LENGTH = WORD_MAX_LENGTH * 3


def word_key(word: str) -> str:
    """The form two words are compared in: "Spam" and "SPAM" are the same word of the list."""
    return word.casefold()


def validate_word(value: str) -> None:
    """A word is one line of visible text: no control characters (tabs, NUL, line breaks), not blank."""
    if not value.strip():
        raise ValidationError(_("A word cannot be blank."), code="blank")
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(_("A word cannot contain tabs, line breaks or other control characters."),
                              code="control")


class SensitiveWordSettings(models.Model):
    """How an app filters messages (SPEC §9). ``revision`` grows with every change of the word list; the
    per-process automaton cache compares it to rebuild only after a change."""

    class Action(models.TextChoices):
        BLOCK = matcher.BLOCK, _("Block at sender")
        REPLACE = matcher.REPLACE, _("Replace with *** for receivers")

    app = models.OneToOneField("applications.App", on_delete=models.CASCADE,
                               related_name="sensitive_word_settings")
    enabled = models.BooleanField(_("filter messages"), default=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices, default=Action.BLOCK)
    ignore_case = models.BooleanField(_("ignore case"), default=True)
    revision = models.PositiveBigIntegerField(_("word list revision"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("sensitive word settings")
        verbose_name_plural = _("sensitive word settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=[matcher.BLOCK, matcher.REPLACE]),
                                   name="sensitive_word_action_known"),
        ]

    def __str__(self) -> str:
        return f"{self.app_id}: {self.action}"


class SensitiveWord(models.Model):
    """One word of an app's list, kept as typed (trimmed); ``key`` is its casefolded form, unique per app."""

    app = models.ForeignKey("applications.App", on_delete=models.CASCADE, related_name="sensitive_words")
    word = models.CharField(_("word"), max_length=WORD_MAX_LENGTH, validators=[validate_word])
    key = models.CharField(_("key"), max_length=KEY_MAX_LENGTH, editable=False)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["app", "key"], name="sensitive_word_unique_key"),
            models.CheckConstraint(condition=~models.Q(word="") & ~models.Q(key=""), name="sensitive_word_not_blank"),
        ]

    def __str__(self) -> str:
        return self.word
