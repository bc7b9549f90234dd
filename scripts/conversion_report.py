"""The phone-conversion section of the match-rate report (contract 3b).

Reads call_conversions_daily for the report's days and renders, as HTML
with inline SVG (no network needed to view it):

* a chart of each property's daily phone conversion rate (sessions with a
  call / sessions), with the sessions behind each point in its tooltip;
* the entry page types ranked by their phone conversion rate over the
  period, as bars with the sessions beside each rate;
* the numbers behind both, in tables.

Used by scripts/match_rate_report.py; not a command of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
from report_charts import (
    CHART_WIDTH,
    MARGIN_TOP,
    PALETTE,
    ChartPoint,
    LineChart,
    esc,
    line_chart_svg,
)
from warehouse import find_relation

BAR_HEIGHT = 22
BAR_GAP = 8
BAR_LABEL_WIDTH = 150
BAR_TEXT_WIDTH = 260
NO_PAGE_TYPE = "(none)"
COLUMNS = ["sessions", "converted_sessions", "calls", "phone_orders"]


@dataclass(frozen=True)
class ConversionCounts:
    """Sessions and their calls, of one group of call_conversions_daily rows."""

    sessions: int
    converted_sessions: int
    calls: int
    phone_orders: int

    @property
    def phone_conversion_rate(self) -> float | None:
        if not self.sessions:
            return None
        return self.converted_sessions / self.sessions


@dataclass(frozen=True)
class DailyConversion:
    session_date: dt.date
    tracking_id: str
    counts: ConversionCounts


@dataclass(frozen=True)
class EntryPageConversion:
    entry_page_type: str | None
    counts: ConversionCounts


@dataclass(frozen=True)
class Conversions:
    daily: list[DailyConversion]
    entry_pages: list[EntryPageConversion]  # ranked, best rate first


SUM_COLUMNS = ", ".join(f"cast(sum({column}) as bigint)" for column in COLUMNS)


def read_conversions(
    connection: duckdb.DuckDBPyConnection, first_day: dt.date, last_day: dt.date
) -> Conversions | None:
    """The period's conversions; None when the warehouse has none built."""
    relation = find_relation(connection, "call_conversions_daily")
    if relation is None:
        return None
    where = "where session_date between ? and ?"
    daily_rows = connection.execute(
        f"select session_date, tracking_id, {SUM_COLUMNS} from {relation} {where} "
        "group by session_date, tracking_id order by tracking_id, session_date",
        [first_day, last_day],
    ).fetchall()
    page_rows = connection.execute(
        f"select entry_page_type, {SUM_COLUMNS} from {relation} {where} "
        "group by entry_page_type",
        [first_day, last_day],
    ).fetchall()
    daily = [
        DailyConversion(row[0], row[1], ConversionCounts(*row[2:])) for row in daily_rows
    ]
    pages = [EntryPageConversion(row[0], ConversionCounts(*row[1:])) for row in page_rows]
    return Conversions(daily, sorted(pages, key=entry_page_rank))


def entry_page_rank(page: EntryPageConversion) -> tuple[float, int, str]:
    """Best rate first; among equal rates the most sessions, then by name."""
    rate = page.counts.phone_conversion_rate or 0.0
    return (-rate, -page.counts.sessions, page.entry_page_type or "")


# --------------------------------------------------------------------------
# HTML


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def counts_cells(counts: ConversionCounts) -> str:
    cells = [
        f'<td class="num" data-col="{column}" data-value="{getattr(counts, column)}">'
        f"{getattr(counts, column)}</td>"
        for column in COLUMNS
    ]
    rate = counts.phone_conversion_rate
    data_value = "" if rate is None else repr(rate)
    cells.append(
        f'<td class="num" data-col="phone_conversion_rate" '
        f'data-value="{data_value}">{percent(rate)}</td>'
    )
    return "".join(cells)


def page_type_label(entry_page_type: str | None) -> str:
    return NO_PAGE_TYPE if entry_page_type is None else entry_page_type


def page_type_attr(entry_page_type: str | None) -> str:
    """data-entry-page-type: the type, or nothing at all for a null type."""
    if entry_page_type is None:
        return 'data-entry-page-type-null="true"'
    return f'data-entry-page-type="{esc(entry_page_type)}"'


def rate_chart_svg(
    first_day: dt.date, last_day: dt.date, daily: Sequence[DailyConversion]
) -> str:
    """Daily phone conversion rate per property."""
    series: dict[str, dict[dt.date, ChartPoint]] = {}
    for row in daily:
        rate = row.counts.phone_conversion_rate
        if rate is None:
            continue
        tip = (
            f"{row.tracking_id} {row.session_date.isoformat()}: {percent(rate)} "
            f"({row.counts.converted_sessions} of {row.counts.sessions} sessions "
            f"with a call; {row.counts.calls} calls)"
        )
        series.setdefault(row.tracking_id, {})[row.session_date] = ChartPoint(
            rate, tip, {"sessions": str(row.counts.sessions)}
        )
    chart = LineChart(
        chart_id="conversion-rate-chart",
        label="Daily phone conversion rate per property",
        x_title="UTC day the session started",
        point_class="conversion-dot",
    )
    return line_chart_svg(chart, first_day, last_day, series)


def entry_page_chart_svg(pages: Sequence[EntryPageConversion]) -> str:
    """Entry page types ranked by phone conversion rate: one bar each, the
    sessions and calls beside the rate."""
    bar_width = CHART_WIDTH - BAR_LABEL_WIDTH - BAR_TEXT_WIDTH
    height = MARGIN_TOP + len(pages) * (BAR_HEIGHT + BAR_GAP) + 10
    parts = [
        f'<svg id="entry-page-chart" xmlns="http://www.w3.org/2000/svg" '
        f'width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" role="img" '
        'aria-label="Entry page types ranked by phone conversion rate">'
    ]
    for index, page in enumerate(pages):
        rate = page.counts.phone_conversion_rate or 0.0
        y = MARGIN_TOP + index * (BAR_HEIGHT + BAR_GAP)
        label = page_type_label(page.entry_page_type)
        text = (
            f"{percent(page.counts.phone_conversion_rate)} of "
            f"{page.counts.sessions} sessions ({page.counts.calls} calls, "
            f"{page.counts.phone_orders} orders)"
        )
        parts.append(
            f'<text x="{BAR_LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" '
            f'text-anchor="end">{esc(label)}</text>'
            f'<rect x="{BAR_LABEL_WIDTH}" y="{y}" width="{bar_width}" '
            f'height="{BAR_HEIGHT}" fill="#f0f0f0"/>'
            f'<rect class="entry-bar" x="{BAR_LABEL_WIDTH}" y="{y}" '
            f'width="{max(rate * bar_width, 1):.1f}" height="{BAR_HEIGHT}" '
            f'fill="{PALETTE[0]}" data-rank="{index + 1}" '
            f"{page_type_attr(page.entry_page_type)} "
            f'data-value="{rate!r}" data-sessions="{page.counts.sessions}">'
            f"<title>{esc(label)}: {esc(text)}</title></rect>"
            f'<text x="{BAR_LABEL_WIDTH + bar_width + 8}" '
            f'y="{y + BAR_HEIGHT - 6}">{esc(text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def table_html(table_id: str, first_headers: list[str], rows: list[str]) -> str:
    """A table: the given leading headers, then the counts and the rate."""
    headers = [*first_headers, *COLUMNS, "phone conversion rate"]
    header = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "\n".join(rows)
    return (
        f'<table id="{table_id}"><thead><tr>{header}</tr></thead>'
        f"<tbody>\n{body}\n</tbody></table>"
    )


def daily_table(daily: Sequence[DailyConversion]) -> str:
    rows = [
        f'<tr data-date="{row.session_date.isoformat()}" '
        f'data-tracking-id="{esc(row.tracking_id)}">'
        f"<td>{row.session_date.isoformat()}</td><td>{esc(row.tracking_id)}</td>"
        f"{counts_cells(row.counts)}</tr>"
        for row in sorted(daily, key=lambda r: (r.session_date, r.tracking_id))
    ]
    return table_html("conversions-daily", ["day", "property"], rows)


def entry_page_table(pages: Sequence[EntryPageConversion]) -> str:
    rows = [
        f'<tr data-rank="{index + 1}" {page_type_attr(page.entry_page_type)}>'
        f'<td class="num">{index + 1}</td>'
        f"<td>{esc(page_type_label(page.entry_page_type))}</td>"
        f"{counts_cells(page.counts)}</tr>"
        for index, page in enumerate(pages)
    ]
    return table_html("entry-page-types", ["rank", "entry page type"], rows)


def conversions_section(
    conversions: Conversions | None, first_day: dt.date, last_day: dt.date
) -> str:
    """The report's section on calls as conversions."""
    if conversions is None:
        return (
            "<h2>Phone conversions</h2><p>The warehouse has no "
            "<code>call_conversions_daily</code>: rebuild it with "
            "<code>dbt build</code> to see phone conversion rates.</p>"
        )
    if not conversions.daily:
        return "<h2>Phone conversions</h2><p>No sessions started in the period.</p>"
    return "\n".join(
        [
            "<h2>Daily phone conversion rate per property</h2>",
            (
                "<p>Sessions with at least one call matched to one of their "
                "views, as a share of all sessions, by the UTC day the session "
                "started. Hover a point for the sessions behind it.</p>"
            ),
            rate_chart_svg(first_day, last_day, conversions.daily),
            "<h2>Entry page types ranked by phone conversion rate</h2>",
            (
                "<p>All properties over the period, best first; a rate from a "
                "handful of sessions says little, so the sessions stand beside "
                f"it. {esc(NO_PAGE_TYPE)}: the first view had no page type.</p>"
            ),
            entry_page_chart_svg(conversions.entry_pages),
            entry_page_table(conversions.entry_pages),
            "<h2>Daily phone conversions per property</h2>",
            daily_table(conversions.daily),
        ]
    )
