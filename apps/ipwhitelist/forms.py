import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.ipwhitelist.models import NOTE_MAX_CHARS
from apps.ipwhitelist.networks import InvalidEntry, Network, network_text, parse_address, parse_network

MAX_ENTRIES_AT_ONCE = 50
# Newlines, commas, semicolons and spaces all separate entries.
SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class TypedEntry:
    line: int  # 1-based line of the textarea it was typed on
    text: str  # as typed
    network: Network

    @property
    def canonical(self) -> str:
        return network_text(self.network)


def _shown(text: str) -> str:
    return Truncator(text).chars(40)


def line_error(entry_line: int, text: str, reason) -> str:
    return _('Line %(line)d, "%(text)s": %(reason)s') % {"line": entry_line, "text": _shown(text), "reason": reason}


class WhitelistAddForm(forms.Form):
    """Up to 50 entries at once, one note for all of them. ``cleaned_data["entries"]`` is a list of TypedEntry;
    any bad one refuses the whole batch, with one message per bad entry naming its line."""

    entries = forms.CharField(
        label=_("IP addresses or CIDR ranges"),
        max_length=MAX_ENTRIES_AT_ONCE * 80,
        widget=forms.Textarea,
        help_text=_("Up to 50 at once, separated by new lines, commas or spaces."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX_CHARS,
        required=False,
        help_text=_("Optional, up to 64 characters; shared by every entry added here."),
    )

    def clean_entries(self) -> list[TypedEntry]:
        typed = [
            (number, text)
            for number, line in enumerate(self.cleaned_data["entries"].splitlines(), start=1)
            for text in SEPARATORS.split(line)
            if text
        ]
        if not typed:
            raise ValidationError(_("Enter at least one IP address or CIDR range."))
        if len(typed) > MAX_ENTRIES_AT_ONCE:
            raise ValidationError(
                _("Enter at most %(max)d entries at once; there are %(count)d.")
                % {"max": MAX_ENTRIES_AT_ONCE, "count": len(typed)}
            )
        errors, entries, first_line = [], [], {}
        for number, text in typed:
            try:
                entry = TypedEntry(line=number, text=text, network=parse_network(text))
            except InvalidEntry as exc:
                errors.append(line_error(number, text, exc.message))
                continue
            if entry.canonical in first_line:
                errors.append(line_error(number, text, _("the same as %(network)s on line %(first)d.")
                                         % {"network": entry.canonical, "first": first_line[entry.canonical]}))
                continue
            first_line[entry.canonical] = number
            entries.append(entry)
        if errors:
            raise ValidationError(errors)
        return entries

    def add_duplicate_errors(self, networks: list[str]) -> None:
        """The service found some entries already on the list: name their lines."""
        for entry in self.cleaned_data.get("entries", []):
            if entry.canonical in networks:
                self.add_error("entries", line_error(
                    entry.line, entry.text, _("already on the list as %(network)s.") % {"network": entry.canonical}
                ))


class WhitelistCheckForm(forms.Form):
    """One address to test against the list."""

    address = forms.CharField(label=_("IP address"), max_length=80)

    def clean_address(self):
        try:
            return parse_address(self.cleaned_data["address"])
        except InvalidEntry as exc:
            raise ValidationError(exc.message) from exc
