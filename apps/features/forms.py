from django import forms
from django.utils.translation import gettext_lazy as _

from apps.features.models import RECALL_MAX_SECONDS, RECALL_MIN_SECONDS

UNIT_SECONDS = {"minutes": 60, "hours": 60 * 60, "days": 24 * 60 * 60}
UNIT_CHOICES = [("minutes", _("minutes")), ("hours", _("hours")), ("days", _("days"))]


def split_seconds(seconds: int) -> tuple[int, str]:
    """The largest unit that shows a duration exactly: 120 s -> (2, "minutes"), 86400 s -> (1, "days")."""
    for unit in ("days", "hours", "minutes"):
        if seconds % UNIT_SECONDS[unit] == 0:
            return seconds // UNIT_SECONDS[unit], unit
    return max(1, seconds // 60), "minutes"


class RecallSettingsForm(forms.Form):
    """Two durations, each a number and a unit, each from 1 minute to 7 days."""

    DURATIONS = {
        "client_recall": _("Client recall time"),
        "rest_recall": _("REST recall time"),
    }

    client_recall_value = forms.IntegerField(label=_("Client recall time"), min_value=1, max_value=10080)
    client_recall_unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES)
    rest_recall_value = forms.IntegerField(label=_("REST recall time"), min_value=1, max_value=10080)
    rest_recall_unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES)

    @classmethod
    def initial_for(cls, settings) -> dict:
        initial = {}
        for prefix in cls.DURATIONS:
            value, unit = split_seconds(getattr(settings, f"{prefix}_seconds"))
            initial[f"{prefix}_value"] = value
            initial[f"{prefix}_unit"] = unit
        return initial

    def clean(self):
        cleaned = super().clean()
        for prefix in self.DURATIONS:
            value, unit = cleaned.get(f"{prefix}_value"), cleaned.get(f"{prefix}_unit")
            if value is None or unit is None:
                continue
            seconds = value * UNIT_SECONDS[unit]
            if not RECALL_MIN_SECONDS <= seconds <= RECALL_MAX_SECONDS:
                self.add_error(f"{prefix}_value", _("Choose a time from 1 minute to 7 days."))
            else:
                cleaned[f"{prefix}_seconds"] = seconds
        return cleaned
