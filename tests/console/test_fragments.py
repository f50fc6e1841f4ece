"""``{% remembered %}`` (console/templatetags/fragments.py): a fragment rendered once per key and language, with
each request's own CSRF token, and rendered afresh on anything but a GET."""

import re
import uuid

import pytest
from django.middleware.csrf import get_token
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

TEMPLATE = engines["django"].from_string(
    "{% load i18n fragments %}{% remembered name %}<form>{% csrf_token %}{% translate 'Save' %} {{ name }} "
    "{{ counter.next }}</form>{% endremembered %}"
)


class Counter:
    """Counts how often the fragment's body was rendered."""

    def __init__(self):
        self.renders = 0

    def next(self) -> int:
        self.renders += 1
        return self.renders


def render(method: str, name: str, counter: Counter, language: str = "en") -> tuple[str, str]:
    """The markup and the CSRF token in it, which must be a real one (64 letters and digits) of this request."""
    request = getattr(RequestFactory(), method.lower())("/")
    get_token(request)
    with translation.override(language):
        html = TEMPLATE.render({"name": name, "counter": counter}, request)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)
    assert len(tokens) == 1 and re.fullmatch(r"[A-Za-z0-9]{64}", tokens[0])
    return html, tokens[0]


def test_a_fragment_is_rendered_once_per_key_and_language_with_each_requests_token():
    counter, name = Counter(), f"<{uuid.uuid4().hex}>"
    first, first_token = render("GET", name, counter)
    second, second_token = render("GET", name, counter)
    assert counter.renders == 1
    assert first_token != second_token  # each request's own token, not the first one's
    escaped = name.replace("<", "&lt;").replace(">", "&gt;")
    assert f"Save {escaped} 1" in first and f"Save {escaped} 1" in second
    other, _token = render("GET", "globex" + name, counter)
    assert f"globex{escaped} 2" in other
    chinese, _token = render("GET", name, counter, language="zh-hans")
    assert f"保存 {escaped} 3" in chinese


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_anything_but_a_get_renders_the_fragment_afresh(method):
    counter, name = Counter(), uuid.uuid4().hex
    render("GET", name, counter)
    html, _token = render(method, name, counter)
    assert counter.renders == 2 and f"{name} 2" in html
