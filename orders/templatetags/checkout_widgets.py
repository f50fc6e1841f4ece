"""The checkout's form inputs without Django's widget templates.

Issue 14: ``{{ field }}`` renders a widget through three to five small templates (input, attrs, options); the
checkout's add-on fields, plan radios and token cost ~3 ms of CPU per request that way. These tags write the
same HTML as django/forms/widgets/{input,attrs,select,select_option}.html from the same widget context
(Widget.get_context: the form's attrs, id, required, aria-describedby, selected options), with the writers of the
console's form renderer (console.forms).
"""

from django import forms, template

from console.forms import input_html, select_html

register = template.Library()


@register.simple_tag
def field_widget(field: forms.BoundField):
    """What ``{{ field }}`` writes for an input or a select (BoundField.as_widget's attrs, then the widget)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    return select_html(context) if isinstance(widget, forms.Select) else input_html(context)


@register.simple_tag
def radio_input(radio):
    """What ``{{ radio.tag }}`` writes for one radio of a RadioSelect (its option context)."""
    return input_html(radio.data)
