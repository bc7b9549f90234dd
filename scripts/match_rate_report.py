"""Write an HTML match-rate report and print its summary.

Reads call_match_rates and call_unmatched_reasons_daily from the DuckDB file
dbt built (DBT_DUCKDB_PATH, else target/call_tracking.duckdb). Prints the
match rates per property and vendor for the last N days of call events, then
writes one self-contained HTML page (no network needed to view it): a chart
of each property's daily online match rate against the usual 67%-96% band,
the numbers behind it, and why the unmatched calls did not match; then the
phone conversion rate per property over time and the entry page types
ranked by it (call_conversions_daily; scripts/conversion_report.py).

Usage:

    python scripts/match_rate_report.py [--days N] [--output report.html]

The last N days end at the latest event_date in the warehouse, not today, so
a report on an old landing folder still shows its data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from conversion_report import Conversions, conversions_section, read_conversions
from report_charts import ChartPoint, LineChart, line_chart_svg
from warehouse import connect, database_path, find_relation

DEFAULT_DAYS = 7
DEFAULT_OUTPUT = Path("target/match_rate_report.html")
# The contract: typically 67% to 96% of call events are matched.
BAND_LOW = 0.67
BAND_HIGH = 0.96

REASON_ORDER = [
    "view_in_window_landed_late",
    "nearest_view_outside_window",
    "views_only_after_call",
    "views_only_under_other_tracking_id",
    "no_views",
]
REASON_TEXT = {
    "view_in_window_landed_late": (
        "a view in the window exists now, but landed after the call was "
        "matched (a --full-refresh matches it)"
    ),
    "nearest_view_outside_window": (
        "the latest earlier view is more than the match window before the call"
    ),
    "views_only_after_call": "the visitor's views all came after the call",
    "views_only_under_other_tracking_id": (
        "the visitor has views only under another property"
    ),
    "no_views": "no usable view of the visitor at all",
}


@dataclass(frozen=True)
class Period:
    """The days the report covers, both ends included."""

    first_day: dt.date
    last_day: dt.date

    @property
    def days(self) -> list[dt.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(count)]


@dataclass(frozen=True)
class Counts:
    """Kept call events and how many matched, of one group of rows."""

    events: int
    offline_events: int
    online_events: int
    matched_events: int

    @property
    def match_rate(self) -> float | None:
        return ratio(self.matched_events, self.events)

    @property
    def online_match_rate(self) -> float | None:
        return ratio(self.matched_events, self.online_events)


@dataclass(frozen=True)
class PropertyVendorSummary:
    tracking_id: str
    vendor: str
    counts: Counts


@dataclass(frozen=True)
class DailyRate:
    event_date: dt.date
    tracking_id: str
    counts: Counts


@dataclass(frozen=True)
class ReasonCount:
    tracking_id: str
    vendor: str
    unmatched_reason: str
    unmatched_events: int
    online_events: int

    @property
    def share_of_online_events(self) -> float | None:
        return ratio(self.unmatched_events, self.online_events)


@dataclass(frozen=True)
class Report:
    database: Path
    days: int
    period: Period | None
    summary: list[PropertyVendorSummary]
    daily: list[DailyRate]
    reasons: list[ReasonCount] | None  # None: the warehouse has no diagnostics
    conversions: Conversions | None = None  # None: no call_conversions_daily


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


# --------------------------------------------------------------------------
# Reading the warehouse


COUNT_COLUMNS = """
    cast(sum(events) as bigint),
    cast(sum(offline_events) as bigint),
    cast(sum(online_events) as bigint),
    cast(sum(matched_events) as bigint)
"""


def read_period(
    connection: duckdb.DuckDBPyConnection, match_rates: str, days: int
) -> Period | None:
    """The last `days` days up to the latest event_date; None when empty."""
    row = connection.execute(f"select max(event_date) from {match_rates}").fetchone()
    if row is None or row[0] is None:
        return None
    last_day: dt.date = row[0]
    return Period(last_day - dt.timedelta(days=days - 1), last_day)


def read_summary(
    connection: duckdb.DuckDBPyConnection, match_rates: str, period: Period
) -> list[PropertyVendorSummary]:
    rows = connection.execute(
        f"select tracking_id, vendor, {COUNT_COLUMNS} from {match_rates} "
        "where event_date between ? and ? "
        "group by tracking_id, vendor order by tracking_id, vendor",
        [period.first_day, period.last_day],
    ).fetchall()
    return [PropertyVendorSummary(row[0], row[1], Counts(*row[2:])) for row in rows]


def read_daily(
    connection: duckdb.DuckDBPyConnection, match_rates: str, period: Period
) -> list[DailyRate]:
    rows = connection.execute(
        f"select event_date, tracking_id, {COUNT_COLUMNS} from {match_rates} "
        "where event_date between ? and ? "
        "group by event_date, tracking_id order by tracking_id, event_date",
        [period.first_day, period.last_day],
    ).fetchall()
    return [DailyRate(row[0], row[1], Counts(*row[2:])) for row in rows]


def read_reasons(
    connection: duckdb.DuckDBPyConnection,
    reasons_daily: str,
    period: Period,
    summary: Sequence[PropertyVendorSummary],
) -> list[ReasonCount]:
    rows = connection.execute(
        "select tracking_id, vendor, unmatched_reason, "
        f"cast(sum(unmatched_events) as bigint) from {reasons_daily} "
        "where event_date between ? and ? "
        "group by tracking_id, vendor, unmatched_reason",
        [period.first_day, period.last_day],
    ).fetchall()
    online = {(s.tracking_id, s.vendor): s.counts.online_events for s in summary}
    counts = [
        ReasonCount(row[0], row[1], row[2], row[3], online.get((row[0], row[1]), 0))
        for row in rows
    ]
    return sorted(counts, key=reason_sort_key)


def reason_sort_key(count: ReasonCount) -> tuple[str, str, int, str]:
    rank = (
        REASON_ORDER.index(count.unmatched_reason)
        if count.unmatched_reason in REASON_ORDER
        else len(REASON_ORDER)
    )
    return (count.tracking_id, count.vendor, rank, count.unmatched_reason)


def read_report(database: Path, days: int) -> Report:
    connection = connect(database)
    try:
        match_rates = find_relation(connection, "call_match_rates")
        if match_rates is None:
            sys.exit(f"error: no call_match_rates in {database}; run dbt build")
        period = read_period(connection, match_rates, days)
        if period is None:
            return Report(database, days, None, [], [], [])
        summary = read_summary(connection, match_rates, period)
        daily = read_daily(connection, match_rates, period)
        reasons_daily = find_relation(connection, "call_unmatched_reasons_daily")
        reasons = (
            None
            if reasons_daily is None
            else read_reasons(connection, reasons_daily, period, summary)
        )
        conversions = read_conversions(connection, period.first_day, period.last_day)
    finally:
        connection.close()
    return Report(database, days, period, summary, daily, reasons, conversions)


# --------------------------------------------------------------------------
# Text output


def format_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], text_columns: int = 2
) -> str:
    """Columns padded to their widest cell; the first `text_columns`
    left-aligned, the numbers after them right-aligned."""
    body = [list(row) for row in rows]
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in body))
        if body
        else len(headers[i])
        for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i < text_columns else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    return "\n".join([line(headers), *(line(row) for row in body)])


def summary_cells(row: PropertyVendorSummary) -> list[str]:
    counts = row.counts
    return [
        row.tracking_id,
        row.vendor,
        str(counts.events),
        str(counts.offline_events),
        str(counts.online_events),
        str(counts.matched_events),
        percent(counts.match_rate),
        percent(counts.online_match_rate),
    ]


SUMMARY_HEADERS = [
    "property",
    "vendor",
    "events",
    "offline",
    "online",
    "matched",
    "match rate",
    "online match rate",
]


def print_report(report: Report) -> None:
    print(f"Match rates from {report.database}")
    if report.period is None:
        print("  no call events (is the landing folder empty?)")
        return
    period = report.period
    print(f"Last {report.days} days: {period.first_day} to {period.last_day}")
    print(format_table(SUMMARY_HEADERS, (summary_cells(row) for row in report.summary)))
    if report.reasons is None:
        print("\nno call_unmatched_reasons_daily in the warehouse: rebuild with dbt")
        return
    print("\nWhy calls did not match:")
    if not report.reasons:
        print("  every online call matched")
        return
    print(
        format_table(
            ["property", "vendor", "reason", "calls", "of online"],
            (
                [
                    count.tracking_id,
                    count.vendor,
                    count.unmatched_reason,
                    str(count.unmatched_events),
                    percent(count.share_of_online_events),
                ]
                for count in report.reasons
            ),
            text_columns=3,
        )
    )


# --------------------------------------------------------------------------
# HTML output

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 24px auto; max-width: 1000px; color: #1b1b1b; padding: 0 16px; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.8em; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; }
th { text-align: left; background: #f3f4f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.below-band { color: #b00020; font-weight: 600; }
svg text { font-size: 12px; fill: #333; }
dl.reasons dt { font-family: monospace; margin-top: 0.4em; }
dl.reasons dd { margin-left: 1.5em; color: #444; }
"""

# Marks the chart with the size the browser laid it out at, and how many of
# its points it drew, so a headless browser's DOM dump shows it rendered.
RENDER_CHECK_JS = """
window.addEventListener("load", function () {
  var chart = document.getElementById("match-rate-chart");
  if (!chart) { return; }
  var box = chart.getBoundingClientRect();
  var drawn = 0;
  chart.querySelectorAll("circle.point").forEach(function (point) {
    var b = point.getBBox();
    if (b.width > 0 && b.height > 0) { drawn += 1; }
  });
  chart.setAttribute("data-rendered-width", String(Math.round(box.width)));
  chart.setAttribute("data-rendered-height", String(Math.round(box.height)));
  chart.setAttribute("data-rendered-points", String(drawn));
});
"""


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def number_cell(value: int, column: str) -> str:
    return f'<td class="num" data-col="{column}" data-value="{value}">{value}</td>'


def rate_cell(value: float | None, column: str, *, check_band: bool = False) -> str:
    classes = ["num"]
    if check_band and value is not None and value < BAND_LOW:
        classes.append("below-band")
    data_value = "" if value is None else repr(value)
    return (
        f'<td class="{" ".join(classes)}" data-col="{column}" '
        f'data-value="{data_value}">{percent(value)}</td>'
    )


def counts_cells(counts: Counts) -> str:
    return "".join(
        [
            number_cell(counts.events, "events"),
            number_cell(counts.offline_events, "offline_events"),
            number_cell(counts.online_events, "online_events"),
            number_cell(counts.matched_events, "matched_events"),
            rate_cell(counts.match_rate, "match_rate"),
            rate_cell(counts.online_match_rate, "online_match_rate", check_band=True),
        ]
    )


def summary_table(summary: Sequence[PropertyVendorSummary]) -> str:
    header = "".join(f"<th>{esc(h)}</th>" for h in SUMMARY_HEADERS)
    rows = "\n".join(
        f'<tr data-tracking-id="{esc(row.tracking_id)}" '
        f'data-vendor="{esc(row.vendor)}"><td>{esc(row.tracking_id)}</td>'
        f"<td>{esc(row.vendor)}</td>{counts_cells(row.counts)}</tr>"
        for row in summary
    )
    return (
        f'<table id="summary"><thead><tr>{header}</tr></thead>'
        f"<tbody>\n{rows}\n</tbody></table>"
    )


def daily_table(daily: Sequence[DailyRate]) -> str:
    headers = ["day", "property", *SUMMARY_HEADERS[2:]]
    header = "".join(f"<th>{esc(h)}</th>" for h in headers)
    rows = "\n".join(
        f'<tr data-date="{row.event_date.isoformat()}" '
        f'data-tracking-id="{esc(row.tracking_id)}">'
        f"<td>{row.event_date.isoformat()}</td><td>{esc(row.tracking_id)}</td>"
        f"{counts_cells(row.counts)}</tr>"
        for row in sorted(daily, key=lambda r: (r.event_date, r.tracking_id))
    )
    return (
        f'<table id="daily"><thead><tr>{header}</tr></thead>'
        f"<tbody>\n{rows}\n</tbody></table>"
    )


def reasons_section(reasons: Sequence[ReasonCount] | None) -> str:
    if reasons is None:
        return (
            "<p>The warehouse has no <code>call_unmatched_reasons_daily</code>: "
            "rebuild it with <code>dbt build</code> to see why calls did not "
            "match.</p>"
        )
    legend = "".join(
        f"<dt>{esc(reason)}</dt><dd>{esc(REASON_TEXT[reason])}</dd>"
        for reason in REASON_ORDER
    )
    if not reasons:
        body = "<p>Every online call in the period matched a view.</p>"
    else:
        headers = ["property", "vendor", "reason", "unmatched calls", "of online calls"]
        header = "".join(f"<th>{esc(h)}</th>" for h in headers)
        rows = "\n".join(
            f'<tr data-tracking-id="{esc(c.tracking_id)}" data-vendor="{esc(c.vendor)}" '
            f'data-reason="{esc(c.unmatched_reason)}">'
            f"<td>{esc(c.tracking_id)}</td><td>{esc(c.vendor)}</td>"
            f"<td><code>{esc(c.unmatched_reason)}</code></td>"
            f"{number_cell(c.unmatched_events, 'unmatched_events')}"
            f"{rate_cell(c.share_of_online_events, 'share_of_online_events')}</tr>"
            for c in reasons
        )
        body = (
            f'<table id="reasons"><thead><tr>{header}</tr></thead>'
            f"<tbody>\n{rows}\n</tbody></table>"
        )
    return f'{body}<dl class="reasons">{legend}</dl>'


def chart_svg(period: Period, daily: Sequence[DailyRate]) -> str:
    """Daily online match rate per property, over the 67%-96% band."""
    series: dict[str, dict[dt.date, ChartPoint]] = {}
    for row in daily:
        rate = row.counts.online_match_rate
        if rate is None:
            continue
        tip = (
            f"{row.tracking_id} {row.event_date.isoformat()}: {percent(rate)} "
            f"({row.counts.matched_events} of {row.counts.online_events} "
            "online calls matched)"
        )
        series.setdefault(row.tracking_id, {})[row.event_date] = ChartPoint(rate, tip)
    chart = LineChart(
        chart_id="match-rate-chart",
        label="Daily online match rate per property",
        x_title="UTC day of the call",
        point_class="point",
        band=(BAND_LOW, BAND_HIGH),
    )
    return line_chart_svg(chart, period.first_day, period.last_day, series)


def render_html(report: Report, generated_at: dt.datetime) -> str:
    title = "Call match rates"
    meta = (
        f"Warehouse <code>{esc(report.database)}</code>, generated "
        f"{generated_at.strftime('%Y-%m-%d %H:%M UTC')}."
    )
    if report.period is None:
        body = "<p>No call events in the warehouse (is the landing folder empty?).</p>"
    else:
        period = report.period
        meta += (
            f" Last {report.days} days of call events: "
            f"{period.first_day.isoformat()} to {period.last_day.isoformat()}."
        )
        body = "\n".join(
            [
                "<h2>Daily online match rate per property</h2>",
                (
                    "<p>Matched calls as a share of online calls (offline calls "
                    "never match), all vendors and event types together. Typically "
                    f"{BAND_LOW:.0%} to {BAND_HIGH:.0%} match (shaded).</p>"
                ),
                chart_svg(period, report.daily),
                "<h2>Match rates per property and vendor</h2>",
                summary_table(report.summary),
                "<h2>Why calls did not match</h2>",
                reasons_section(report.reasons),
                "<h2>Daily numbers per property</h2>",
                daily_table(report.daily),
                conversions_section(
                    report.conversions, period.first_day, period.last_day
                ),
            ]
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{CSS}</style></head>\n"
        f'<body><h1>{title}</h1><p class="meta">{meta}</p>\n{body}\n'
        f"<script>{RENDER_CHECK_JS}</script></body></html>\n"
    )


# --------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        epilog=(
            "The warehouse is the DuckDB file at DBT_DUCKDB_PATH, else "
            "target/call_tracking.duckdb (as profiles.yml)."
        ),
    )
    parser.add_argument(
        "--days",
        type=positive_int,
        default=DEFAULT_DAYS,
        help=(
            "the last N days of call events, ending at the latest one "
            f"(default: {DEFAULT_DAYS})"
        ),
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"where to write the HTML page (default: {DEFAULT_OUTPUT})",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    report = read_report(database_path(), args.days)
    print_report(report)
    generated_at = dt.datetime.now(dt.UTC)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render_html(report, generated_at), encoding="utf-8")
    print(f"\nwrote {args.output}")


if __name__ == "__main__":
    main()
