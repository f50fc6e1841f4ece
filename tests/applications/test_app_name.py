"""AppName rule (SPEC §5): 1–32 of lower-case letters, digits and "-"."""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.applications.forms import AppCreateForm
from apps.applications.models import DataCenter

ALLOWED = string.ascii_lowercase + string.digits + "-"
FORBIDDEN = st.characters(codec="utf-8").filter(lambda c: c not in ALLOWED)
allowed_names = st.text(alphabet=ALLOWED, min_size=1, max_size=32).filter(lambda n: n != "new")

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _form(org, name: str) -> AppCreateForm:
    data_center = DataCenter.objects.first()
    return AppCreateForm(
        {"name": name, "product_name": "Chat", "description": "", "data_center": data_center.pk},
        organization=org,
    )


@HYPOTHESIS
@given(name=allowed_names)
def test_any_name_of_the_allowed_alphabet_and_length_is_accepted(org, name):
    form = _form(org, name)
    assert form.is_valid(), form.errors


@HYPOTHESIS
@given(
    prefix=st.text(alphabet=ALLOWED, min_size=1, max_size=15),
    bad=FORBIDDEN,
    suffix=st.text(alphabet=ALLOWED, min_size=1, max_size=15),
)
def test_a_name_with_any_forbidden_character_is_refused(org, prefix, bad, suffix):
    form = _form(org, prefix + bad + suffix)
    assert not form.is_valid()
    assert "name" in form.errors


@HYPOTHESIS
@given(name=st.text(alphabet=ALLOWED, min_size=33, max_size=80))
def test_a_name_longer_than_32_characters_is_refused(org, name):
    assert "name" in _form(org, name).errors


def test_a_forbidden_character_at_either_end_is_refused(org):
    assert "name" in _form(org, "-chat_").errors
    assert "name" in _form(org, "#chat").errors


def test_surrounding_whitespace_is_trimmed_like_every_text_field(org):
    form = _form(org, "  chat-prod ")
    assert form.is_valid()
    assert form.cleaned_data["name"] == "chat-prod"


def test_an_empty_name_is_refused(org):
    assert "name" in _form(org, "").errors


def test_upper_case_letters_are_refused(org):
    assert "name" in _form(org, "ChatApp").errors


def test_the_name_new_is_reserved_because_it_is_the_create_page(org):
    assert "name" in _form(org, "new").errors
