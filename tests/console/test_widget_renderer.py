"""Forms write the markup Django's widget templates write (console.forms.WidgetRenderer, the console's FORM_RENDERER,
renders the inputs, the text area and the select in Python): the IM users page's forms empty, filled with hostile
text, and refused, in both languages."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from apps.im.users_views import CreateUserForm, PasswordForm
from apps.im.users_views import TestMessageForm as MessageForm  # not a test class
from console.forms import StyledForm, WidgetRenderer

HOSTILE = '"><script>alert(1)</script>&amp;'


def _fields(form) -> list[str]:
    return [str(field) for field in form]


def _as_django_renders(form_class, *args) -> list[str]:
    class WithDjangoTemplates(form_class):
        default_renderer = DjangoTemplates()

    return _fields(WithDjangoTemplates(*args))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("form_class, data", [
    (CreateUserForm, None),
    (CreateUserForm, {"username": HOSTILE, "password": HOSTILE, "nickname": HOSTILE}),
    (CreateUserForm, {"username": "", "password": "", "nickname": ""}),
    (PasswordForm, {"newpassword": ""}),
    (MessageForm, None),
    (MessageForm, {"sender": HOSTILE, "chat_type": "groupchat", "to": "", "text": f"{HOSTILE}\nline two"}),
    (MessageForm, {"sender": "a", "chat_type": HOSTILE, "to": "b", "text": ""}),
])
def test_fields_render_as_djangos_widget_templates(language, form_class, data):
    with translation.override(language):
        args = () if data is None else (data,)
        ours = _fields(form_class(*args))
        assert ours == _as_django_renders(form_class, *args)
    if data and data.get("username") == HOSTILE:
        assert "<script>" not in "".join(ours) and "&quot;&gt;&lt;script&gt;" in ours[0]


def test_every_form_renders_through_the_console_renderer():
    assert isinstance(CreateUserForm().renderer, WidgetRenderer)
    assert isinstance(forms.Form().renderer, WidgetRenderer)


def test_a_select_with_groups_is_left_to_djangos_template():
    class GroupedForm(StyledForm):
        kind = forms.ChoiceField(choices=[("Chat", [("chat", "user"), ("groupchat", "group")])])

    html = str(GroupedForm()["kind"])
    assert '<optgroup label="Chat">' in html
    assert html == _as_django_renders(GroupedForm)[0]
