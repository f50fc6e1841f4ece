"""{% bootstrap_field %} (console/templatetags/bootstrap_field.py) writes the markup crispy-forms' Bootstrap 5 pack
writes for a field (label, control, errors, help text), a tenth of the cost (issue 14), in both languages."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

HOSTILE = '"><script>alert(1)</script>'


class SampleForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=254)
    role = forms.ChoiceField(label="Role", choices=[("admin", "Admin"), ("finance", "Finance")])
    note = forms.CharField(label="Note", required=False, help_text="Shown to the invitee")


def _squeezed(html: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _both(form, name: str) -> tuple[str, str]:
    context = Context({"field": form[name]})
    ours = Template("{% load bootstrap_field %}{% bootstrap_field field %}").render(context)
    crispy = Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(context)
    return _squeezed(ours), _squeezed(crispy)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("data", [None, {"email": HOSTILE, "role": HOSTILE, "note": HOSTILE}, {"email": "a@b.c",
                                                                                            "role": "admin"}])
@pytest.mark.parametrize("name", ["email", "role", "note"])
def test_a_field_is_written_as_crispy_writes_it(language, data, name):
    with translation.override(language):
        form = SampleForm(data) if data is not None else SampleForm()
        if data is not None:
            form.is_valid()
        ours, crispy = _both(form, name)
    assert ours == crispy
    assert "<script>" not in ours


def test_a_check_box_is_refused_rather_than_written_wrong():
    class WithCheckBox(forms.Form):
        agree = forms.BooleanField()

    with pytest.raises(TypeError):
        Template("{% load bootstrap_field %}{% bootstrap_field field %}").render(
            Context({"field": WithCheckBox()["agree"]}))
