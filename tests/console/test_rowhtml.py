"""console.rowhtml.esc writes what Django's conditional_escape writes, for every kind of value a row holds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from console.rowhtml import esc, html_join

VALUES = [
    "plain", "", "<script>alert('x')</script> & \"quoted\"", "中文 “引号” ‘单引号’", mark_safe("<b>safe</b>"),
    7, Decimal("1.50"), None, dt.date(2026, 11, 30), gettext_lazy("Delete"), mark_safe(gettext_lazy("Delete")),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_esc_is_conditional_escape(value, language):
    with override(language):
        assert esc(value) == str(conditional_escape(value))


def test_joined_rows_are_safe_and_keep_what_the_rows_escaped():
    joined = html_join([f"<tr><td>{esc('<i>')}</td></tr>", "<tr></tr>"], "\n")
    assert isinstance(joined, SafeString)
    assert joined == "<tr><td>&lt;i&gt;</td></tr>\n<tr></tr>"
