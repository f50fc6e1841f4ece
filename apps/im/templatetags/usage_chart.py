"""A usage chart (inline SVG: title, description, axes, stacked bars; and the same numbers as a table) rendered in
one pass (issue 14: as a template with ``{% for %}`` loops a chart was over a thousand template variables and a
hundred date filters; as a template around two tags still ~1.5 CPU ms a chart, three charts a page). The markup is
the one the template wrote; text is escaped, coordinates are written as ``{% localize off %}{{ value }}`` wrote
them.

The ~90 bars and 30 table rows of a chart are joined from escaped text instead of a ``format_html`` each: those
calls, with ``conditional_escape`` of every coordinate, were ~1.5 ms a chart themselves (measured: 4.5 ms for the
three charts with ``format_html_join`` everywhere)."""


from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.im.usage_charts import grouped_int_formatter
from console.rowhtml import esc, html_join

register = template.Library()

_FIGURE = """<figure class="usage-chart" id="{id}">
  <figcaption class="usage-chart-title">{title}</figcaption>
  <ul class="usage-legend list-unstyled">
    {legend}
  </ul>
  <div class="usage-chart-frame" tabindex="0" role="group" aria-label="{title}">
  <svg class="usage-svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-t {id}-d" focusable="false">
    <title id="{id}-t">{title}</title>
    <desc id="{id}-d">{summary}</desc>
    {y_ticks}
    <line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"></line>
    <line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"></line>
    {bars}
    {x_ticks}
  </svg>
  </div>
  <p class="usage-scroll-hint">{hint}</p>
  <details class="usage-table">
    <summary>{show_table}</summary>
    <div class="table-responsive"><table class="table table-sm table-console mb-0">
      <caption class="visually-hidden">{title}</caption>
      <thead><tr><th scope="col">{date}</th>{heads}</tr></thead>
      <tbody>
      {rows}
      </tbody>
    </table></div>
  </details>
</figure>
"""

_Y_TICK = """<line class="grid" x1="{0}" x2="{1}" y1="{2}" y2="{2}"></line>
    <text class="tick" x="{3}" y="{2}" dy="4" text-anchor="end">{4}</text>
    <text class="tick" x="{5}" y="{2}" dy="4" text-anchor="start" aria-hidden="true">{4}</text>
    """


def _plain(value) -> str:
    """A coordinate as ``{% localize off %}{{ value }}`` writes it."""
    text = str(value)
    return text if "e" not in text.lower() else formats.localize(value, use_l10n=False)


@register.simple_tag
def usage_chart(chart):
    """The whole ``<figure>`` of a ``usage_charts.BarChart``."""
    return format_html(
        _FIGURE,
        id=chart.chart_id, title=chart.title, summary=chart.summary,
        width=chart.width, height=chart.height, left=chart.left, right=chart.right, top=chart.top,
        bottom=chart.bottom,
        legend=html_join(f'<li><span class="usage-swatch {esc(s.css)}" aria-hidden="true"></span>{esc(s.label)}</li>'
                         for s in chart.series),
        y_ticks=html_join(_Y_TICK.format(esc(chart.left), esc(chart.right), esc(_plain(tick.position)),
                                         esc(chart.left - 6), esc(tick.label), esc(chart.right + 6))
                          for tick in chart.y_ticks),
        bars=_bars(chart.segments),
        x_ticks=html_join(f'<text class="tick" x="{esc(_plain(tick.position))}" y="{esc(chart.bottom + 18)}" '
                          f'text-anchor="middle">{esc(tick.label)}</text>\n    ' for tick in chart.x_ticks),
        hint=_("Swipe sideways to see every day."),
        show_table=_("Show the numbers as a table"),
        date=_("Date"),
        heads=html_join(f'<th scope="col" class="text-end">{esc(s.label)}</th>' for s in chart.series),
        rows=_table_rows(chart.table_rows, grouped_int_formatter()),
    )


def _bars(segments) -> str:
    """The stacked bars: one ``<rect>`` with its tooltip per segment."""
    css = {seg.css: esc(seg.css) for seg in segments}  # a few colour classes for ~90 bars
    return mark_safe("".join(  # noqa: S308 -- css and title escaped; the coordinates are numbers
        f'<rect class="bar {css[seg.css]}" x="{_plain(seg.x)}" y="{_plain(seg.y)}" width="{_plain(seg.width)}" '
        f'height="{_plain(seg.height)}"><title>{esc(seg.title)}</title></rect>\n    '
        for seg in segments
    ))


def _table_rows(table_rows, number) -> str:
    """The table fallback: a row per day (``Y-m-d``), a cell per series value grouped as ``|intcomma`` does."""
    return mark_safe("".join(  # noqa: S308 -- every value escaped
        f'<tr><th scope="row" class="fw-normal mono">{day:%Y-%m-%d}</th>'
        + "".join(f'<td class="text-end mono">{esc(number(value))}</td>' for value in values)
        + "</tr>\n      "
        for day, values in table_rows
    ))
