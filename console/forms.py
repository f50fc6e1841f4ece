"""What every console form shares: Bootstrap's classes on its widgets, so a form rendered field by field in a
template (``{{ field }}``) looks like the rest of the console without per-field attributes."""

from django import forms


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
