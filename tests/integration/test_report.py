"""The match-rate report: scripts/match_rate_report.py on the sample warehouse.

Builds the sample landing folder once, runs the report as a user would
(`--days N --output report.html`, the warehouse from DBT_DUCKDB_PATH), then
opens the page in real headless Chromium: the DOM it rendered must hold the
chart (an SVG the browser laid out, one point per property-day) and tables
whose numbers equal call_match_rates and call_unmatched_reasons_daily, read
straight from the warehouse. A screenshot is taken and checked to be a real
picture of the page. The phone-conversion section (contract 3b) must show
call_conversions_daily's numbers over the same days, per property-day and
per entry page type ranked by rate, checked in the page as written and in
the browser's DOM.

The browser tests skip when /usr/bin/chromium is absent; install it with
`apt-get install -y chromium` (Debian).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, SAMPLE_LANDING, Warehouse, run_dbt

pytestmark = pytest.mark.duckdb_only

REPORT_SCRIPT = PROJECT_ROOT / "scripts" / "match_rate_report.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
CHROMIUM_TIMEOUT_SECONDS = 120
SCREENSHOT_SIZE = (1100, 1600)
# The sample spans more than a week (a stray call in 2000), so a 7-day
# report must leave some rows out: the window is really applied.
DAYS = 7

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=(
        f"{CHROMIUM} is absent: the report is checked in a real browser. "
        "Install it with `apt-get update && apt-get install -y chromium`."
    ),
)

Key = tuple[str, ...]
Counts = dict[str, int]


# --------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_dirs: Path) -> Warehouse:
    """The sample landing folder, built from scratch into its own file."""
    run = run_dbt(SAMPLE_LANDING, tmp_path_factory.mktemp("report_warehouse"), dbt_dirs)
    run.check()
    return run.warehouse()


@dataclass(frozen=True)
class ReportRun:
    stdout: str
    html_path: Path


@pytest.fixture(scope="module")
def report(warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> ReportRun:
    html_path = tmp_path_factory.mktemp("report") / "report.html"
    completed = run_report(
        warehouse.db_path, "--days", str(DAYS), "--output", str(html_path)
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert html_path.exists(), f"no report written to {html_path}"
    return ReportRun(completed.stdout, html_path)


@pytest.fixture(scope="module")
def expected(warehouse: Warehouse) -> Expected:
    return Expected.from_warehouse(warehouse, DAYS)


@pytest.fixture(scope="module")
def rendered(
    report: ReportRun, tmp_path_factory: pytest.TempPathFactory
) -> RenderedPage:
    """The DOM Chromium built from the page, after its load event."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install -y chromium)")
    profile = tmp_path_factory.mktemp("chromium_profile")
    completed = run_chromium(profile, "--dump-dom", report.html_path.as_uri())
    assert completed.returncode == 0, completed.stderr[-4000:]
    page = RenderedPage()
    page.feed(completed.stdout)
    return page


def run_report(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPORT_SCRIPT), *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DBT_DUCKDB_PATH": str(db_path)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=CHROMIUM_TIMEOUT_SECONDS,
        check=False,
    )


# --------------------------------------------------------------------------
# What the page must show, computed here from the warehouse


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


@dataclass
class Expected:
    first_day: dt.date
    last_day: dt.date
    summary: dict[Key, Counts]  # (tracking_id, vendor)
    daily: dict[Key, Counts]  # (event_date iso, tracking_id)
    reasons: dict[Key, int]  # (tracking_id, vendor, reason)
    rows_outside_window: int

    @classmethod
    def from_warehouse(cls, warehouse: Warehouse, days: int) -> Expected:
        rates = warehouse.table("call_match_rates")
        last_day = max(rates["event_date"])
        first_day = last_day - dt.timedelta(days=days - 1)
        in_window = rates[rates["event_date"].map(lambda d: first_day <= d <= last_day)]
        summary: dict[Key, Counts] = defaultdict(lambda: defaultdict(int))
        daily: dict[Key, Counts] = defaultdict(lambda: defaultdict(int))
        for row in in_window.to_dict("records"):
            for column in (
                "events",
                "offline_events",
                "online_events",
                "matched_events",
            ):
                summary[(row["tracking_id"], row["vendor"])][column] += int(row[column])
                daily[(row["event_date"].isoformat(), row["tracking_id"])][column] += (
                    int(row[column])
                )
        reasons_daily = warehouse.table("call_unmatched_reasons_daily")
        reasons: dict[Key, int] = defaultdict(int)
        for row in reasons_daily.to_dict("records"):
            if first_day <= row["event_date"] <= last_day:
                key = (row["tracking_id"], row["vendor"], row["unmatched_reason"])
                reasons[key] += int(row["unmatched_events"])
        return cls(
            first_day,
            last_day,
            {key: dict(value) for key, value in summary.items()},
            {key: dict(value) for key, value in daily.items()},
            dict(reasons),
            len(rates) - len(in_window),
        )


# --------------------------------------------------------------------------
# Reading the rendered DOM


@dataclass
class TableRow:
    attrs: dict[str, str]
    cells: list[dict[str, str]] = field(default_factory=list)  # attrs + "text"

    def value(self, column: str) -> dict[str, str]:
        matches = [cell for cell in self.cells if cell.get("data-col") == column]
        assert len(matches) == 1, f"row {self.attrs} has no single {column} cell"
        return matches[0]


class RenderedPage(HTMLParser):
    """The tables (by id), the chart's attributes and shapes of a DOM dump."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[TableRow]] = defaultdict(list)
        self.svg_attrs: list[dict[str, str]] = []
        self.svg_shapes: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._table: str | None = None
        self._row: TableRow | None = None
        self._cell: dict[str, str] | None = None
        self._in_svg = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "svg":
            self._in_svg = True
            self.svg_attrs.append(attributes)
        elif self._in_svg:
            self.svg_shapes[tag].append(attributes)
        elif tag == "table":
            self._table = attributes.get("id", "")
        elif tag == "tr" and self._table is not None:
            self._row = TableRow(attributes)
        elif tag == "td" and self._row is not None:
            self._cell = {**attributes, "text": ""}

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False
        elif tag == "td" and self._row is not None and self._cell is not None:
            self._cell["text"] = self._cell["text"].strip()
            self._row.cells.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._table is not None and self._row is not None:
            if self._row.cells:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] += data


def assert_counts_shown(row: TableRow, counts: Counts) -> None:
    """The row's count and rate cells equal `counts`, in value and in text."""
    for column in ("events", "offline_events", "online_events", "matched_events"):
        cell = row.value(column)
        assert int(cell["data-value"]) == counts[column], (row.attrs, column)
        assert cell["text"] == str(counts[column]), (row.attrs, column)
    for column, value in [
        ("match_rate", rate(counts["matched_events"], counts["events"])),
        ("online_match_rate", rate(counts["matched_events"], counts["online_events"])),
    ]:
        cell = row.value(column)
        if value is None:
            assert cell["data-value"] == "", (row.attrs, column)
        else:
            assert float(cell["data-value"]) == pytest.approx(value), (
                row.attrs,
                column,
            )
        assert cell["text"] == percent(value), (row.attrs, column)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (fails if it is not a PNG)."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


# --------------------------------------------------------------------------
# Tests that need no browser


def test_help_describes_the_options() -> None:
    completed = run_report(Path("unused.duckdb"), "--help")
    assert completed.returncode == 0, completed.stderr
    for option in ("--days", "--output", "DBT_DUCKDB_PATH"):
        assert option in completed.stdout


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    completed = run_report(
        tmp_path / "absent.duckdb", "--output", str(tmp_path / "r.html")
    )
    assert completed.returncode != 0
    assert "no warehouse" in completed.stderr


def test_printed_summary_has_every_property_and_vendor(
    report: ReportRun, expected: Expected
) -> None:
    assert f"{expected.first_day} to {expected.last_day}" in report.stdout
    lines = report.stdout.splitlines()
    for (tracking_id, vendor), counts in expected.summary.items():
        shown = [
            line.split() for line in lines if line.split()[:2] == [tracking_id, vendor]
        ]
        assert shown, f"{tracking_id}/{vendor} missing from:\n{report.stdout}"
        cells = shown[0]
        assert cells[2:6] == [
            str(counts["events"]),
            str(counts["offline_events"]),
            str(counts["online_events"]),
            str(counts["matched_events"]),
        ]
        assert cells[7] == percent(
            rate(counts["matched_events"], counts["online_events"])
        )
    assert "Why calls did not match" in report.stdout


def test_window_leaves_older_days_out(expected: Expected) -> None:
    """The sample has a call outside any 7-day window, so the check of the
    numbers below really tests the window, not just the totals."""
    assert expected.rows_outside_window > 0


# --------------------------------------------------------------------------
# Tests in the browser


@needs_chromium
def test_chart_rendered_with_a_point_per_property_day(
    rendered: RenderedPage, expected: Expected
) -> None:
    charts = [c for c in rendered.svg_attrs if c.get("id") == "match-rate-chart"]
    assert len(charts) == 1, "expected exactly one match-rate chart"
    chart = charts[0]
    # Set by the page's script from the layout the browser computed.
    assert int(chart.get("data-rendered-width", "0")) > 0
    assert int(chart.get("data-rendered-height", "0")) > 0
    points = [c for c in rendered.svg_shapes["circle"] if "point" in c.get("class", "")]
    expected_points = {
        key: rate(counts["matched_events"], counts["online_events"])
        for key, counts in expected.daily.items()
        if counts["online_events"]
    }
    assert int(chart["data-rendered-points"]) == len(expected_points) > 0
    shown: dict[Key, float] = {
        (point["data-date"], point["data-tracking-id"]): float(point["data-value"])
        for point in points
    }
    assert shown.keys() == expected_points.keys()
    for key, value in expected_points.items():
        assert shown[key] == pytest.approx(value), key
    # The 67%-96% band, and a line for a property with two consecutive days.
    assert any("band" in r.get("class", "") for r in rendered.svg_shapes["rect"])
    assert rendered.svg_shapes["polyline"]


@needs_chromium
def test_summary_table_equals_call_match_rates(
    rendered: RenderedPage, expected: Expected
) -> None:
    rows = rendered.tables["summary"]
    shown: dict[Key, TableRow] = {
        (row.attrs["data-tracking-id"], row.attrs["data-vendor"]): row for row in rows
    }
    assert len(shown) == len(rows), "a property and vendor shown twice"
    assert shown.keys() == expected.summary.keys()
    for key, counts in expected.summary.items():
        assert_counts_shown(shown[key], counts)


@needs_chromium
def test_daily_table_equals_call_match_rates(
    rendered: RenderedPage, expected: Expected
) -> None:
    rows = rendered.tables["daily"]
    shown: dict[Key, TableRow] = {
        (row.attrs["data-date"], row.attrs["data-tracking-id"]): row for row in rows
    }
    assert shown.keys() == expected.daily.keys()
    for key, counts in expected.daily.items():
        assert_counts_shown(shown[key], counts)


@needs_chromium
def test_unmatched_reasons_equal_the_warehouse(
    rendered: RenderedPage, expected: Expected
) -> None:
    rows = rendered.tables["reasons"]
    shown: dict[Key, TableRow] = {
        (
            row.attrs["data-tracking-id"],
            row.attrs["data-vendor"],
            row.attrs["data-reason"],
        ): row
        for row in rows
    }
    assert shown.keys() == expected.reasons.keys()
    for key, count in expected.reasons.items():
        cell = shown[key].value("unmatched_events")
        assert int(cell["data-value"]) == count and cell["text"] == str(count)
        online = expected.summary[key[:2]]["online_events"]
        share = shown[key].value("share_of_online_events")
        assert share["text"] == percent(rate(count, online))
    # Ties with call_match_rates: every online call is matched or has a reason.
    for (tracking_id, vendor), counts in expected.summary.items():
        unmatched = sum(
            count
            for key, count in expected.reasons.items()
            if key[:2] == (tracking_id, vendor)
        )
        assert unmatched == counts["online_events"] - counts["matched_events"]


@needs_chromium
def test_screenshot_is_a_picture_of_the_page(
    report: ReportRun, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out_dir = tmp_path_factory.mktemp("screenshot")
    screenshot = out_dir / "report.png"
    width, height = SCREENSHOT_SIZE
    completed = run_chromium(
        out_dir / "profile",
        f"--window-size={width},{height}",
        f"--screenshot={screenshot}",
        report.html_path.as_uri(),
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    assert png_size(screenshot) == SCREENSHOT_SIZE
    # A blank page compresses to a few kB; text, tables and a chart do not.
    assert screenshot.stat().st_size > 30_000
    keep = os.environ.get("REPORT_SCREENSHOT")
    if keep:
        shutil.copyfile(screenshot, keep)


# --------------------------------------------------------------------------
# Phone conversions (contract 3b): the section from call_conversions_daily


CONVERSION_COUNTS = ["sessions", "converted_sessions", "calls", "phone_orders"]


@dataclass
class ExpectedConversions:
    daily: dict[Key, Counts]  # (session_date iso, tracking_id)
    entry_pages: dict[str | None, Counts]  # entry_page_type, None for null
    rows_outside_window: int


@pytest.fixture(scope="module")
def expected_conversions(
    warehouse: Warehouse, expected: Expected
) -> ExpectedConversions:
    """call_conversions_daily over the report's days (those of its calls)."""
    frame = warehouse.table("call_conversions_daily")
    daily: dict[Key, Counts] = defaultdict(lambda: defaultdict(int))
    pages: dict[str | None, Counts] = defaultdict(lambda: defaultdict(int))
    outside = 0
    for row in frame.to_dict("records"):
        if not expected.first_day <= row["session_date"] <= expected.last_day:
            outside += 1
            continue
        page_type = row["entry_page_type"] if isinstance(row["entry_page_type"], str) else None
        for column in CONVERSION_COUNTS:
            daily[(row["session_date"].isoformat(), row["tracking_id"])][column] += int(
                row[column]
            )
            pages[page_type][column] += int(row[column])
    return ExpectedConversions(
        {key: dict(value) for key, value in daily.items()},
        {key: dict(value) for key, value in pages.items()},
        outside,
    )


@pytest.fixture(scope="module", params=["html", "browser"])
def page(request: pytest.FixtureRequest, report: ReportRun) -> RenderedPage:
    """The page as written (no browser needed), and as Chromium rendered it."""
    if request.param == "browser":
        return request.getfixturevalue("rendered")
    parsed = RenderedPage()
    parsed.feed(report.html_path.read_text(encoding="utf-8"))
    return parsed


def assert_conversions_shown(row: TableRow, counts: Counts) -> None:
    for column in CONVERSION_COUNTS:
        cell = row.value(column)
        assert int(cell["data-value"]) == counts[column], (row.attrs, column)
        assert cell["text"] == str(counts[column]), (row.attrs, column)
    value = rate(counts["converted_sessions"], counts["sessions"])
    cell = row.value("phone_conversion_rate")
    assert float(cell["data-value"]) == pytest.approx(value), row.attrs
    assert cell["text"] == percent(value), row.attrs


def entry_page_type_of(attrs: dict[str, str]) -> str | None:
    if attrs.get("data-entry-page-type-null") == "true":
        return None
    return attrs["data-entry-page-type"]


def test_conversions_daily_table_equals_warehouse(
    page: RenderedPage, expected_conversions: ExpectedConversions
) -> None:
    rows = page.tables["conversions-daily"]
    shown = {(row.attrs["data-date"], row.attrs["data-tracking-id"]): row for row in rows}
    assert len(shown) == len(rows), "a day and property shown twice"
    assert expected_conversions.daily, "the sample has sessions in the window"
    assert shown.keys() == expected_conversions.daily.keys()
    for key, counts in expected_conversions.daily.items():
        assert_conversions_shown(shown[key], counts)


def test_entry_page_types_ranked_by_conversion_rate(
    page: RenderedPage, expected_conversions: ExpectedConversions
) -> None:
    rows = page.tables["entry-page-types"]
    shown = {entry_page_type_of(row.attrs): row for row in rows}
    assert len(shown) == len(rows), "an entry page type shown twice"
    assert shown.keys() == expected_conversions.entry_pages.keys()
    for key, counts in expected_conversions.entry_pages.items():
        assert_conversions_shown(shown[key], counts)
    # Ranked: best rate first, ranks 1..n in order.
    rates = [float(row.value("phone_conversion_rate")["data-value"]) for row in rows]
    assert rates == sorted(rates, reverse=True)
    assert [int(row.attrs["data-rank"]) for row in rows] == list(range(1, len(rows) + 1))
    assert len(set(rates)) > 1, "the sample's entry pages convert differently"


def test_conversion_charts_have_a_mark_per_group(
    page: RenderedPage, expected_conversions: ExpectedConversions
) -> None:
    ids = [chart.get("id") for chart in page.svg_attrs]
    assert "conversion-rate-chart" in ids and "entry-page-chart" in ids
    dots = {
        (dot["data-date"], dot["data-tracking-id"]): dot
        for dot in page.svg_shapes["circle"]
        if "conversion-dot" in dot.get("class", "")
    }
    assert dots.keys() == expected_conversions.daily.keys()
    for key, counts in expected_conversions.daily.items():
        value = rate(counts["converted_sessions"], counts["sessions"])
        assert float(dots[key]["data-value"]) == pytest.approx(value), key
        assert int(dots[key]["data-sessions"]) == counts["sessions"], key
    bars = [r for r in page.svg_shapes["rect"] if "entry-bar" in r.get("class", "")]
    assert [entry_page_type_of(bar) for bar in bars] == [
        entry_page_type_of(row.attrs) for row in page.tables["entry-page-types"]
    ]
    for bar in bars:
        counts = expected_conversions.entry_pages[entry_page_type_of(bar)]
        assert int(bar["data-sessions"]) == counts["sessions"]
        assert float(bar["width"]) > 0
