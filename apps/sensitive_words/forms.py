from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.sensitive_words.models import WORD_MAX_LENGTH, SensitiveWordSettings, validate_word

WORDS_PER_BATCH = 200
IMPORT_MAX_BYTES = 2 * 1024 * 1024
MESSAGE_MAX_LENGTH = 5000
ERRORS_SHOWN = 5  # a file with thousands of bad lines names the first few


def _shown(word: str) -> str:
    return word if len(word) <= 24 else word[:24] + "…"


def parse_words(text: str) -> list[str]:
    """One word per line, trimmed; blank lines skipped. Every invalid line is an error naming its number
    (as an editor counts them, blank lines included); the first few are reported together."""
    words, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.strip()
        if not word:
            continue
        problem = None
        if len(word) > WORD_MAX_LENGTH:
            problem = _("“%(word)s” is longer than %(max)s characters (it has %(length)s).") % {
                "word": _shown(word), "max": WORD_MAX_LENGTH, "length": len(word)}
        else:
            try:
                validate_word(word)
            except ValidationError as error:
                problem = error.messages[0]
        if problem:
            errors.append(_("Line %(number)s: %(problem)s") % {"number": number, "problem": problem})
        else:
            words.append(word)
    if errors:
        shown = errors[:ERRORS_SHOWN]
        if len(errors) > ERRORS_SHOWN:
            more = len(errors) - ERRORS_SHOWN
            shown.append(ngettext("… and %(count)s more invalid line.", "… and %(count)s more invalid lines.",
                                  more) % {"count": more})
        raise ValidationError(shown, code="invalid_line")
    return words


class SettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("Filter messages"), required=False)
    action = forms.ChoiceField(label=_("When a message contains a word"),
                               choices=SensitiveWordSettings.Action.choices, widget=forms.RadioSelect)
    ignore_case = forms.BooleanField(label=_("Ignore case"), required=False)

    @classmethod
    def initial_for(cls, settings: SensitiveWordSettings) -> dict:
        return {"enabled": settings.enabled, "action": settings.action, "ignore_case": settings.ignore_case}


class WordLinesField(forms.Field):
    """A textarea of words, one per line; cleans to the list of words."""

    widget = forms.Textarea

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if not isinstance(value, str):
            raise ValidationError(_("Enter the words as text, one per line."), code="invalid")
        words = parse_words(value)
        if len(words) > WORDS_PER_BATCH:
            raise ValidationError(
                _("Add at most %(max)s words at once (there are %(count)s). Import a .txt file for more."),
                code="too_many", params={"max": WORDS_PER_BATCH, "count": len(words)},
            )
        return words

    def validate(self, value):
        if not value and self.required:
            raise ValidationError(_("Enter at least one word."), code="required")


class WordAddForm(forms.Form):
    words = WordLinesField(label=_("Words"))


class WordImportForm(forms.Form):
    file = forms.FileField(
        label=_("Word file (.txt)"),
        help_text=_("UTF-8 text, one word per line, up to 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".txt"):
            raise ValidationError(_("Choose a .txt file."), code="extension")
        if upload.size > IMPORT_MAX_BYTES:  # known from the request; nothing read yet
            raise ValidationError(_("The file is larger than 2 MB."), code="too_large")
        data = upload.read(IMPORT_MAX_BYTES + 1)
        if len(data) > IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."), code="too_large")
        if b"\x00" in data:
            raise ValidationError(_("This is not a text file."), code="binary")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("The file is not UTF-8 text. Save it as UTF-8 and try again."),
                                  code="encoding") from error
        words = parse_words(text)
        if not words:
            raise ValidationError(_("The file has no words."), code="empty")
        self.cleaned_data["words"] = words
        return upload


class WordSearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), max_length=WORD_MAX_LENGTH, required=False)


class IdListField(forms.Field):
    """Word ids from checkboxes (or one delete button): positive integers, at most ``max_ids``."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, max_ids: int, **kwargs) -> None:
        self.max_ids = max_ids
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        if len(values) > self.max_ids:
            raise ValidationError(_("Select at most %(max)s words at once."), code="too_many",
                                  params={"max": self.max_ids})
        ids = set()
        for item in values:
            if not isinstance(item, str) or not item.isascii() or not item.isdigit() or len(item) > 18:
                raise ValidationError(_("Select words from the list."), code="invalid")
            ids.add(int(item))
        return sorted(ids)

    def validate(self, value):
        if not value:
            raise ValidationError(_("Select at least one word."), code="required")


class WordDeleteForm(forms.Form):
    words = IdListField(label=_("Words"), max_ids=500)


class MessageTestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX_LENGTH, strip=False,
        error_messages={"required": _("Type a message to test.")},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Checked against the list with the settings saved above."),
    )
