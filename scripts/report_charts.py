"""Inline SVG line charts of a daily rate per property, for the HTML report.

One chart: days along the x axis, a rate from 0% to 100% up the y axis, a
line and a point per property-day (the point carries its day, property and
value as data attributes and a tooltip), a legend, and optionally a shaded
band of usual values. Used by scripts/match_rate_report.py and
scripts/conversion_report.py; not a command of its own.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

CHART_WIDTH = 880
CHART_HEIGHT = 360
MARGIN_LEFT = 56
MARGIN_RIGHT = 170
MARGIN_TOP = 20
MARGIN_BOTTOM = 48
# Colour-blind-safe (Okabe-Ito) colours for the properties' lines.
PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
]


@dataclass(frozen=True)
class ChartPoint:
    """One property-day: its rate, tooltip and further data attributes."""

    rate: float
    tip: str
    data: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LineChart:
    chart_id: str
    label: str
    x_title: str
    point_class: str
    band: tuple[float, float] | None = None  # (low, high), shaded


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def days_between(first_day: dt.date, last_day: dt.date) -> list[dt.date]:
    count = (last_day - first_day).days + 1
    return [first_day + dt.timedelta(days=i) for i in range(count)]


def line_chart_svg(
    chart: LineChart,
    first_day: dt.date,
    last_day: dt.date,
    series: dict[str, dict[dt.date, ChartPoint]],
) -> str:
    """The chart of `series` (property -> day -> point) over the days."""
    days = days_between(first_day, last_day)
    plot_width = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_width / max(len(days) - 1, 1)

    def x_of(day: dt.date) -> float:
        if len(days) == 1:
            return MARGIN_LEFT + plot_width / 2
        return MARGIN_LEFT + (day - first_day).days * step

    def y_of(rate: float) -> float:
        return MARGIN_TOP + (1 - rate) * plot_height

    parts = [
        f'<svg id="{esc(chart.chart_id)}" xmlns="http://www.w3.org/2000/svg" '
        f'width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" role="img" '
        f'aria-label="{esc(chart.label)}">'
    ]
    if chart.band is not None:
        low, high = chart.band
        parts.append(
            f'<rect class="band" x="{MARGIN_LEFT}" y="{y_of(high):.1f}" '
            f'width="{plot_width}" height="{y_of(low) - y_of(high):.1f}" '
            'fill="#d9f2e3"/>'
            f'<text x="{MARGIN_LEFT + 6}" y="{y_of(high) + 14:.1f}" '
            f'fill="#2e7d4f">usual band {low:.0%} to {high:.0%}</text>'
        )
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = y_of(tick)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT + plot_width}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>'
            f'<text x="{MARGIN_LEFT - 8}" y="{y + 4:.1f}" '
            f'text-anchor="end">{int(tick * 100)}%</text>'
        )
    label_every = max(1, -(-len(days) // 10))
    for index, day in enumerate(days):
        if index % label_every and index != len(days) - 1:
            continue
        parts.append(
            f'<text x="{x_of(day):.1f}" y="{MARGIN_TOP + plot_height + 20}" '
            f'text-anchor="middle">{day.strftime("%d %b")}</text>'
        )
    parts.append(
        f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT}" y1="{MARGIN_TOP}" '
        f'y2="{MARGIN_TOP + plot_height}" stroke="#888"/>'
        f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT + plot_width}" '
        f'y1="{MARGIN_TOP + plot_height}" y2="{MARGIN_TOP + plot_height}" '
        'stroke="#888"/>'
        f'<text x="{MARGIN_LEFT + plot_width / 2}" y="{CHART_HEIGHT - 6}" '
        f'text-anchor="middle">{esc(chart.x_title)}</text>'
    )
    for index, (tracking_id, points) in enumerate(sorted(series.items())):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<g class="series" data-tracking-id="{esc(tracking_id)}">')
        # A line through consecutive days that have a rate; a gap otherwise.
        segment: list[str] = []
        for slot in [*days, None]:  # None ends the last line
            point = points.get(slot) if slot is not None else None
            if slot is not None and point is not None:
                segment.append(f"{x_of(slot):.1f},{y_of(point.rate):.1f}")
                continue
            if len(segment) > 1:
                parts.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" '
                    f'stroke="{colour}" stroke-width="2"/>'
                )
            segment = []
        for day, point in sorted(points.items()):
            extra = "".join(
                f' data-{name}="{esc(value)}"' for name, value in point.data.items()
            )
            parts.append(
                f'<circle class="{esc(chart.point_class)}" cx="{x_of(day):.1f}" '
                f'cy="{y_of(point.rate):.1f}" r="4" fill="{colour}" '
                f'data-date="{day.isoformat()}" '
                f'data-tracking-id="{esc(tracking_id)}" '
                f'data-value="{point.rate!r}"{extra}>'
                f"<title>{esc(point.tip)}</title></circle>"
            )
        legend_y = MARGIN_TOP + 10 + index * 20
        legend_x = MARGIN_LEFT + plot_width + 16
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y - 9}" width="12" height="12" '
            f'fill="{colour}"/><text x="{legend_x + 18}" y="{legend_y + 2}">'
            f"{esc(tracking_id)}</text></g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
