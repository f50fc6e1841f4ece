"""What every console form shares: Bootstrap's classes on its widgets, so a form rendered field by field in a
template (``{{ field }}``) looks like the rest of the console without per-field attributes; and the form renderer
that writes the common widgets without the template engine."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class StyledForm(forms.Form):
    """``form-select`` on selects, ``form-check-input`` on check boxes and radios, ``form-control`` elsewhere."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                css = "form-select"
            elif isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            else:
                css = "form-control"
            existing = widget.attrs.get("class", "")
            if css not in existing.split():
                widget.attrs["class"] = f"{existing} {css}".strip()


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: `` name="value"`` per attribute, `` name`` for True, nothing for False."""
    return mark_safe("".join(  # noqa: S308 -- joins what format_html returned
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items() if value is not False
    ))


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html (text.html, password.html, ... include it)."""
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value,
                       attrs_html(widget["attrs"]))


def textarea_html(widget: dict) -> str:
    """django/forms/widgets/textarea.html (its value is a str or None: ``Widget.format_value``)."""
    return format_html('<textarea name="{}"{}>\n{}</textarea>', widget["name"], attrs_html(widget["attrs"]),
                       widget["value"] or "")


def select_html(widget: dict) -> str:
    """django/forms/widgets/select.html with select_option.html, for choices without groups."""
    options = mark_safe("".join(  # noqa: S308 -- joins what format_html returned
        format_html('\n  <option value="{}"{}>{}</option>\n', option["value"], attrs_html(option["attrs"]),
                    option["label"])
        for _group, choices, _index in widget["optgroups"] for option in choices
    ))
    return format_html('<select name="{}"{}>{}\n</select>', widget["name"], attrs_html(widget["attrs"]), options)


class WidgetRenderer(DjangoTemplates):
    """The console's form renderer (settings FORM_RENDERER): Django's, with the plain inputs, the text area and a
    select without groups written by the functions above instead of the template engine (issue 14: the IM users
    page's seven widgets were ~1.3 of its CPU ms through django/forms/widgets/*.html, nine attrs.html loops among
    them). The markup is Django's templates' (tests/console/test_widget_renderer.py renders forms with both
    renderers); anything else, a select with groups included, goes to Django's templates."""

    writers = {f"django/forms/widgets/{name}.html": input_html for name in ("text", "password", "email", "number")}
    writers["django/forms/widgets/textarea.html"] = textarea_html
    writers["django/forms/widgets/select.html"] = select_html

    def render(self, template_name, context, request=None):
        write = self.writers.get(template_name)
        if write is None or (write is select_html and not _plain_options(context["widget"])):
            return super().render(template_name, context, request=request)
        return write(context["widget"])


def _plain_options(widget: dict) -> bool:
    return all(not group and all(option["template_name"] == "django/forms/widgets/select_option.html"
                                 for option in choices) for group, choices, _index in widget["optgroups"])
