from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.im.models import TOKEN_TTL_MAX_SECONDS, TOKEN_TTL_MIN_SECONDS, ServiceSettings
from console.forms import StyledForm

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


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: `` name="value"`` per attribute, `` name`` for True, nothing for False."""
    return mark_safe("".join(  # noqa: S308 -- joins what format_html returned
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items() if value is not False
    ))


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (text.html, password.html, ... include it)."""
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value,
                       _attrs(widget["attrs"]))


def _textarea(widget: dict) -> str:
    """django/forms/widgets/textarea.html (its value is a str or None: ``Widget.format_value``)."""
    return format_html('<textarea name="{}"{}>\n{}</textarea>', widget["name"], _attrs(widget["attrs"]),
                       widget["value"] or "")


def _select(widget: dict) -> str:
    """django/forms/widgets/select.html with select_option.html, for choices without groups."""
    options = mark_safe("".join(  # noqa: S308 -- joins what format_html returned
        format_html('\n  <option value="{}"{}>{}</option>\n', option["value"], _attrs(option["attrs"]), option["label"])
        for _group, choices, _index in widget["optgroups"] for option in choices
    ))
    return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attrs(widget["attrs"]), options)


class WidgetRenderer(DjangoTemplates):
    """Django's form renderer with the plain inputs, the text area and a select without groups written by the
    functions above instead of the template engine (issue 14: the IM users page's seven widgets were ~1.3 of its
    CPU ms through django/forms/widgets/*.html, nine attrs.html loops among them). The markup is Django's templates'
    (tests/im/test_console_forms.py renders every form of the page with both renderers); anything else, a select
    with groups included, goes to Django's templates."""

    writers = {f"django/forms/widgets/{name}.html": _input for name in ("text", "password", "email", "number")}
    writers["django/forms/widgets/textarea.html"] = _textarea
    writers["django/forms/widgets/select.html"] = _select

    def render(self, template_name, context, request=None):
        write = self.writers.get(template_name)
        if write is None or (write is _select and not _plain_options(context["widget"])):
            return super().render(template_name, context, request=request)
        return write(context["widget"])


def _plain_options(widget: dict) -> bool:
    return all(not group and all(option["template_name"] == "django/forms/widgets/select_option.html"
                                 for option in choices) for group, choices, _index in widget["optgroups"])


class ConsoleForm(StyledForm):
    """A console form (Bootstrap classes on its widgets) rendered field by field through ``WidgetRenderer``."""

    default_renderer = WidgetRenderer()  # one per process: a renderer builds its template engine once
