"""The usage charts' bars and table rows, rendered in one pass (issue 14: as ``{% for %}`` loops they were over a
thousand template variables and a hundred date filters on the usage page, most of its CPU). The markup is the one
the template loops wrote, byte for byte; text is escaped, numbers are written as the loops wrote them."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


def _plain(value) -> str:
    """A coordinate as ``{% localize off %}{{ value }}`` writes it."""
    text = str(value)
    return text if "e" not in text.lower() else formats.localize(value, use_l10n=False)


@register.simple_tag
def usage_bars(chart):
    """The stacked bars: one ``<rect>`` with its tooltip per segment, each followed by the loop's line break."""
    return mark_safe("".join(  # noqa: S308 -- css and title escaped; the coordinates are numbers
        f'<rect class="bar {escape(seg.css)}" x="{_plain(seg.x)}" y="{_plain(seg.y)}" width="{_plain(seg.width)}" '
        f'height="{_plain(seg.height)}"><title>{escape(seg.title)}</title></rect>\n    '
        for seg in chart.segments
    ))


@register.simple_tag
def usage_table_rows(chart):
    """The table fallback: a row per day (``Y-m-d``), a cell per series value grouped as ``|intcomma`` does."""
    return mark_safe("".join(  # noqa: S308 -- every value escaped
        f'<tr><th scope="row" class="fw-normal mono">{escape(day.strftime("%Y-%m-%d"))}</th>'
        + "".join(f'<td class="text-end mono">{escape(intcomma(value))}</td>' for value in values)
        + "</tr>\n      "
        for day, values in chart.table_rows
    ))
