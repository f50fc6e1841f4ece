"""{% url %} goes through a per-process memo of reverse() (issue 14): same answers, same errors."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import NoReverseMatch, reverse, set_script_prefix

from console.urltools import reverse_cached


def test_the_memo_answers_what_reverse_answers_and_raises_what_it_raises():
    kwargs = {"org_name": "acme", "app_name": "chat"}
    for _ in range(2):  # the second answer comes from the memo
        assert reverse_cached("features:overview", kwargs=kwargs) == reverse("features:overview", kwargs=kwargs)
        assert reverse_cached("home") == reverse("home")
        with pytest.raises(NoReverseMatch):
            reverse_cached("features:overview", kwargs={"org_name": "acme"})
        with pytest.raises(NoReverseMatch):
            reverse_cached("no-such-page")


def test_the_script_prefix_is_part_of_the_key():
    plain = reverse_cached("home")
    try:
        set_script_prefix("/console/")
        assert reverse_cached("home") == "/console" + plain
    finally:
        set_script_prefix("/")
    assert reverse_cached("home") == plain


def test_the_url_tag_keeps_djangos_syntax_escaping_and_as_var():
    page = Template(
        "{% url 'features:overview' org_name=org app_name='chat' %}|{% url 'features:overview' org 'chat' %}|"
        "{% url 'no-such-page' as missing %}[{{ missing }}]|{% url 'home' as home %}{{ home }}"
    ).render(Context({"org": "acme"}))
    overview = reverse("features:overview", kwargs={"org_name": "acme", "app_name": "chat"})
    assert page == f"{overview}|{overview}|[]|{reverse('home')}"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'no-such-page' %}").render(Context())
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")


def test_a_url_tag_with_a_string_literal_is_answered_from_the_memo():
    """A template's literals are SafeStrings: they must hit the memo like plain str (they all missed it before)."""
    from console.urltools import _reverse_remembered

    page = Template("{% url 'features:overview' org_name='acme' app_name='chat' %}")
    page.render(Context())
    hits = _reverse_remembered.cache_info().hits
    assert page.render(Context()) == reverse("features:overview", kwargs={"org_name": "acme", "app_name": "chat"})
    assert _reverse_remembered.cache_info().hits == hits + 1
