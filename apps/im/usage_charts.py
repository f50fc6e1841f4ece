"""Server-rendered bar charts of the usage page: the geometry of an inline SVG (axes, ticks, stacked bars),
computed here so that the template only draws it. No JavaScript, nothing vendored; every number of a chart is
also in the table beside it (apps/im/templatetags/usage_chart.py)."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from django.utils.formats import get_format, number_format

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
