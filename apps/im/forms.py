from django import forms
from django.utils.translation import gettext_lazy as _

from apps.im.models import TOKEN_TTL_MAX_SECONDS, TOKEN_TTL_MIN_SECONDS, ServiceSettings

UNIT_SECONDS = {"hours": 60 * 60, "days": 24 * 60 * 60}
UNIT_CHOICES = [("hours", _("hours")), ("days", _("days"))]


class ServiceSettingsForm(forms.Form):
    """Token validity (a number and a unit, 1 hour to 365 days) and the user registration mode."""

    token_ttl_value = forms.IntegerField(label=_("Token validity"), min_value=1, max_value=365 * 24)
    token_ttl_unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES)
    registration_mode = forms.ChoiceField(
        label=_("User registration mode"), choices=ServiceSettings.RegistrationMode.choices,
        widget=forms.RadioSelect,
    )

    @classmethod
    def initial_for(cls, settings: ServiceSettings) -> dict:
        seconds = settings.token_ttl_seconds
        unit = "days" if seconds % UNIT_SECONDS["days"] == 0 else "hours"
        return {"token_ttl_value": max(1, seconds // UNIT_SECONDS[unit]), "token_ttl_unit": unit,
                "registration_mode": settings.registration_mode}

    def clean(self):
        cleaned = super().clean()
        value, unit = cleaned.get("token_ttl_value"), cleaned.get("token_ttl_unit")
        if value is not None and unit is not None:
            seconds = value * UNIT_SECONDS[unit]
            if not TOKEN_TTL_MIN_SECONDS <= seconds <= TOKEN_TTL_MAX_SECONDS:
                self.add_error("token_ttl_value", _("Choose a validity from 1 hour to 365 days."))
            else:
                cleaned["token_ttl_seconds"] = seconds
        return cleaned
