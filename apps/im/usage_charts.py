"""Server-rendered bar charts of the usage page: the geometry of an inline SVG (axes, ticks, stacked bars),
and its markup (``chart_html``). No JavaScript, nothing vendored; every number of a chart is also in the table
beside it.

The markup is built in one pass (issue 14: as a template with ``{% for %}`` loops a chart was over a thousand
template variables and a hundred date filters; as a template around two tags still ~1.5 CPU ms a chart, three
charts a page); text is escaped, coordinates are written as ``{% localize off %}{{ value }}`` wrote them. The ~90
bars and 30 table rows of a chart are joined from escaped text instead of a ``format_html`` each: those calls,
with ``conditional_escape`` of every coordinate, were ~1.5 ms a chart themselves."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from django.utils import formats
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from console.rowhtml import esc, html_join

WIDTH, HEIGHT = 720, 230
LEFT, RIGHT, TOP, BOTTOM = 64, 60, 12, 30  # the y labels are on both sides: a phone scrolls to the right end
TICKS = 4


@dataclass(frozen=True)
class Series:
    key: str  # the UsageRow attribute
    label: str
    css: str  # the colour class (static/css/usage.css)


class Segment(NamedTuple):  # ~90 a chart: a tuple is built in a third of a frozen dataclass's time
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    summary: str  # the SVG's <desc>: what the bars show and the window's total
    series: list[Series]
    rows: list  # the UsageRow list, for the table
    segments: list[Segment]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def table_rows(self) -> list[tuple]:
        """(day, [value per series]) for the table fallback, newest first."""
        return [(row.day, [getattr(row, s.key) for s in self.series]) for row in reversed(self.rows)]


def nice_ceiling(value: int, ticks: int = TICKS) -> int:
    """The smallest round top of the axis (1, 2, 2.5 or 5 × 10^n per tick) at or above ``value``."""
    if value <= 0:
        return ticks
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, math.ceil(step))
    return step * ticks


def grouped_int_formatter() -> Callable[[int], str]:
    """``number_format(value, force_grouping=True)`` (what ``|intcomma`` writes) for whole numbers in the active
    language, its separator and grouping looked up once (issue 14: the usage pages format ~400 numbers each, and
    every ``number_format`` looks up the language and three formats again: a tenth of the usage page's CPU)."""
    separator, grouping = get_format("THOUSAND_SEPARATOR"), get_format("NUMBER_GROUPING")
    if grouping != 3:  # not the groups of three that Python writes: Django's own loop
        return partial(number_format, force_grouping=True)
    if separator == ",":
        return "{:,}".format
    return lambda value: f"{value:,}".replace(",", separator)


def bar_chart(*, chart_id: str, title: str, summary: str, rows: list, series: list[Series]) -> BarChart:
    """Stacked bars, one per day (oldest left), one segment per series; a day label every 7 days ending today."""
    number = grouped_int_formatter()
    top = nice_ceiling(max((sum(getattr(row, s.key) for s in series) for row in rows), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(rows), 1)
    bar_w = round(slot * 0.72, 2)
    segments = []
    for index, row in enumerate(rows):
        x = round(LEFT + index * slot + (slot - bar_w) / 2, 2)
        day = f"{row.day:%Y-%m-%d}"
        base = HEIGHT - BOTTOM
        for s in series:
            value = getattr(row, s.key)
            if not value:
                continue
            height = round(value * plot_h / top, 2)
            base -= height
            segments.append(Segment(x=x, y=round(base, 2), width=bar_w, height=height, css=s.css,
                                    title=f"{day} · {s.label}: {number(value)}"))
    y_ticks = [Tick(position=round(HEIGHT - BOTTOM - plot_h * i / TICKS, 2), label=number(top * i // TICKS))
               for i in range(TICKS + 1)]
    last = len(rows) - 1
    x_ticks = [Tick(position=round(LEFT + index * slot + slot / 2, 2), label=f"{row.day:%m-%d}")
               for index, row in enumerate(rows) if (last - index) % 7 == 0]
    return BarChart(chart_id=chart_id, title=title, summary=summary, series=series, rows=rows,
                    segments=segments, y_ticks=y_ticks, x_ticks=x_ticks)


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


def chart_html(chart: BarChart) -> SafeString:
    """The whole ``<figure>`` of a ``BarChart``: title, description, axes, stacked bars, and the same numbers
    as a table."""
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
