"""The checkout's form inputs without Django's widget templates.

Issue 14: ``{{ field }}`` renders a widget through three to five small templates (input, attrs, options); the
checkout's add-on fields, plan radios and token cost ~3 ms of CPU per request that way. These tags write the
same HTML as django/forms/widgets/{input,attrs,select,select_option}.html from the same widget context
(Widget.get_context: the form's attrs, id, required, aria-describedby, selected options), with format_html.
"""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _attrs(attrs: dict):
    """attrs.html: an attribute set to True is written bare, one set to False is left out."""
    return format_html_join("", " {}{}", (
        (name, "" if value is True else format_html('="{}"', value))
        for name, value in attrs.items() if value is not False
    ))


def _input(widget: dict):
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value,
                       _attrs(widget["attrs"]))


def _select(widget: dict):
    """select.html without option groups (the checkout's selects have none)."""
    options = format_html_join("", '\n  <option value="{}"{}>{}</option>', (
        (option["value"], _attrs(option["attrs"]), option["label"])
        for _group, group_options, _index in widget["optgroups"] for option in group_options
    ))
    return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attrs(widget["attrs"]), options)


@register.simple_tag
def field_widget(field: forms.BoundField):
    """What ``{{ field }}`` writes for an input or a select (BoundField.as_widget's attrs, then the widget)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    return _select(context) if isinstance(widget, forms.Select) else _input(context)


@register.simple_tag
def radio_input(radio):
    """What ``{{ radio.tag }}`` writes for one radio of a RadioSelect (its option context)."""
    return _input(radio.data)
