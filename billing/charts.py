"""A bar chart as server-rendered SVG geometry (no JavaScript, no CDN, no inline styles)."""

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH, HEIGHT = 720, 220
TOP, BOTTOM, SIDE = 24, 28, 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    x: float
    y: float
    width: float
    height: float
    center: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    axis_y: int = HEIGHT - BOTTOM
    label_y: int = HEIGHT - 10


def bar_chart(points: list[tuple[str, Decimal]]) -> BarChart:
    """One bar per (label, value); heights scale to the largest value, a zero value draws no bar."""
    if not points:
        return BarChart()
    peak = max(value for _label, value in points)
    peak = peak if peak > 0 else Decimal(1)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - 2 * SIDE) / len(points)
    bar_width = round(slot * 0.62, 1)
    bars = []
    for index, (label, value) in enumerate(points):
        height = round(float(value / peak) * plot_height, 1) if value > 0 else 0.0
        x = round(SIDE + index * slot + (slot - bar_width) / 2, 1)
        y = round(TOP + plot_height - height, 1)
        bars.append(Bar(label=label, value=value, x=x, y=y, width=bar_width, height=height,
                        center=round(x + bar_width / 2, 1), value_y=round(y - 6, 1)))
    return BarChart(bars=bars)
