"""One form field in crispy-forms' Bootstrap 5 markup (label, control, errors, help text), built in Python.

Issue 14: ``|as_crispy_field`` renders five nested templates per field (~1 ms); this gives the same HTML for the
fields the console's small forms have (text-like inputs and selects) in a tenth of that. The control itself is
still Django's widget (``as_widget``: required, aria-invalid, aria-describedby, the value)."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def bootstrap_field(field) -> str:
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput)):
        raise TypeError(f"bootstrap_field renders inputs and selects, not {type(widget).__name__}")
    # crispy's classes: the widget's type name (``emailinput``, ``select``), then Bootstrap's.
    name = type(widget).__name__.lower()
    own = widget.attrs.get("class", "")
    css = f"{own} {name}".strip() if name not in own else own
    css += " form-select" if isinstance(widget, forms.Select) else " form-control"
    if field.errors:
        css += " is-invalid"
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label{} class="form-label{}">{}{}</label>',
            format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
            " requiredField" if required else "", field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id,
            format_html_join("", '<p id="error_{}_{}"><strong>{}</strong></p>',
                             ((n, field.auto_id, error) for n, error in enumerate(field.errors, 1))),
        )
    help_text = ""
    if field.help_text:
        # Escaped, unlike crispy's ``|safe``: a form that means HTML there marks its help text safe itself.
        help_text = format_html('<div {}class="form-text">{}</div>',
                                format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
                                field.help_text)
    return format_html('<div id="div_{}" class="mb-3">{}{}{}{}</div>', field.auto_id, label,
                       field.as_widget(attrs={"class": css}), errors, help_text)
