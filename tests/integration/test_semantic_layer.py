"""The semantic layer (models/semantic) through MetricFlow's own CLI, `mf`.

`mf` reads `<project>/target/semantic_manifest.json` (a fixed path: it does
not follow DBT_TARGET_PATH), and that manifest names the DuckDB database by
its file's stem. So the test copies the project to a temporary folder, runs
`dbt parse` there against the sample warehouse it built, and queries with
`mf` from that copy: the developer's own target/ is never touched.

Checks: `mf validate-configs` passes, and `mf query` gives, at the grain of
call_match_rates, the same calls, matched, offline and online counts and the
same match_rate and online_match_rate; phone revenue per vertical and
currency equals the TransactionSummary marts' totals; unmatched calls per
reason equal call_unmatched_reasons_daily.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
import reference
from conftest import PROJECT_ROOT, SAMPLE_LANDING, Warehouse, run_dbt

pytestmark = pytest.mark.duckdb_only

BIN = Path(sys.executable).parent
MF = BIN / "mf"
DBT = BIN / "dbt"
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "target",
    "logs",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "*.duckdb",
    "*.duckdb.wal",
)
RATE_GRAIN = ["event_date", "tracking_id", "vendor", "event_type"]
MF_GRAIN = [
    "metric_time__day",
    "call__tracking_id",
    "call__vendor",
    "call__event_type",
]
COUNTS = {
    "calls": "events",
    "matched_calls": "matched_events",
    "offline_calls": "offline_events",
    "online_calls": "online_events",
}
RATES = ["match_rate", "online_match_rate"]
MARTS = [
    "ec_basket_transaction_summary",
    "tr_package_transaction_summary",
    "fi_basket_transaction_summary",
]

Row = dict[str, str]


class SemanticProject:
    """A copy of the project, parsed against one warehouse, for `mf`."""

    def __init__(self, root: Path, db_path: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "DBT_DUCKDB_PATH": str(db_path),
            "DBT_PROFILES_DIR": str(root),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        self.env.pop("DBT_TARGET_PATH", None)
        self.env.pop("DBT_PROJECT_DIR", None)

    def run(self, *command: str) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            list(command),
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert completed.returncode == 0, (
            f"{' '.join(command)} exited {completed.returncode}:\n"
            f"{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
        )
        return completed

    def query(self, metrics: list[str], group_by: list[str], name: str) -> list[Row]:
        out = self.root / f"{name}.csv"
        self.run(
            str(MF),
            "query",
            "--metrics",
            ",".join(metrics),
            "--group-by",
            ",".join(group_by),
            "--csv",
            str(out),
        )
        with out.open(newline="") as handle:
            return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, dbt_dirs: Path) -> Warehouse:
    run = run_dbt(SAMPLE_LANDING, tmp_path_factory.mktemp("semantic_warehouse"), dbt_dirs)
    run.check()
    return run.warehouse()


@pytest.fixture(scope="module")
def project(
    warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory
) -> SemanticProject:
    if not MF.exists():
        pytest.fail(
            f"mf not found next to the interpreter ({MF}): pip install -r requirements.txt"
        )
    root = tmp_path_factory.mktemp("semantic_project") / "project"
    shutil.copytree(PROJECT_ROOT, root, ignore=COPY_IGNORE)
    semantic = SemanticProject(root, warehouse.db_path)
    semantic.run(str(DBT), "parse", "--quiet")
    return semantic


def day_of(value: str) -> str:
    """mf prints metric_time__day as a timestamp: keep the date."""
    return dt.date.fromisoformat(value[:10]).isoformat()


def test_validate_configs(project: SemanticProject) -> None:
    completed = project.run(str(MF), "validate-configs")
    assert "ERRORS: 0" in completed.stdout


def test_match_rates_equal_call_match_rates(
    project: SemanticProject, warehouse: Warehouse
) -> None:
    rows = project.query([*COUNTS, *RATES], MF_GRAIN, "match_rates")
    got = {
        (day_of(row[MF_GRAIN[0]]), *(row[g] for g in MF_GRAIN[1:])): row for row in rows
    }
    expected = {
        (row["event_date"].isoformat(), *(row[g] for g in RATE_GRAIN[1:])): row
        for row in warehouse.table("call_match_rates").to_dict("records")
    }
    assert len(got) == len(rows), "mf returned a group twice"
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        for metric, column in COUNTS.items():
            assert int(got[key][metric]) == want[column], (key, metric)
        for metric in RATES:
            value = got[key][metric]
            if want[metric] is None:
                assert value == "", (key, metric)
            else:
                assert float(value) == pytest.approx(want[metric]), (key, metric)


def test_daily_match_rate_equals_call_match_rates(
    project: SemanticProject, warehouse: Warehouse
) -> None:
    """The brief's own query: match_rate by metric_time__day."""
    rows = project.query(["match_rate"], ["metric_time__day"], "daily_match_rate")
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in warehouse.table("call_match_rates").to_dict("records"):
        totals[row["event_date"].isoformat()][0] += row["matched_events"]
        totals[row["event_date"].isoformat()][1] += row["events"]
    got = {day_of(row["metric_time__day"]): float(row["match_rate"]) for row in rows}
    assert got.keys() == totals.keys()
    for day, (matched, events) in totals.items():
        assert got[day] == pytest.approx(matched / events), day


def test_phone_revenue_by_vertical_and_currency(
    project: SemanticProject, warehouse: Warehouse
) -> None:
    rows = project.query(
        ["phone_revenue", "phone_orders"],
        ["call__event_type", "call__total_currency"],
        "phone_revenue",
    )
    revenue: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    orders: dict[tuple[str, str], int] = defaultdict(int)
    for mart in MARTS:
        for row in warehouse.table(mart).to_dict("records"):
            if row["total_value"] is not None:
                key = (row["event_type"], row["total_currency"])
                revenue[key] += row["total_value"]
                orders[key] += 1
    got = {
        (row["call__event_type"], row["call__total_currency"]): row
        for row in rows
        if row["call__total_currency"]
    }
    assert revenue, "the sample has phone orders"
    assert got.keys() == revenue.keys()
    for key, total in revenue.items():
        assert float(got[key]["phone_revenue"]) == pytest.approx(float(total)), key
        assert int(got[key]["phone_orders"]) == orders[key], key


def test_unmatched_calls_by_reason(
    project: SemanticProject, warehouse: Warehouse
) -> None:
    rows = project.query(
        ["unmatched_calls"],
        ["metric_time__day", "call__unmatched_reason"],
        "unmatched_calls",
    )
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for row in warehouse.table("call_unmatched_reasons_daily").to_dict("records"):
        key = (row["event_date"].isoformat(), row["unmatched_reason"])
        expected[key] += row["unmatched_events"]
    got = {
        (day_of(row["metric_time__day"]), row["call__unmatched_reason"]): int(
            row["unmatched_calls"]
        )
        for row in rows
    }
    assert got == dict(expected)


def test_phone_conversion_rate_by_day_and_entry_page_type_equals_reference(
    project: SemanticProject,
) -> None:
    """Issue 15's query: phone_conversion_rate (and phone orders per
    session) by metric_time__day and session__entry_page_type, against
    reference.py's reading of contract 3b on the same landing folder."""
    grain = ["metric_time__day", "session__entry_page_type"]
    rows = project.query(
        ["phone_conversion_rate", "phone_orders_per_session", "sessions"],
        grain,
        "phone_conversion_rate",
    )
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for session in reference.build(str(SAMPLE_LANDING)).call_sessions:
        key = (session["session_date"].isoformat(), session["entry_page_type"] or "")
        counts[key][0] += 1
        counts[key][1] += session["is_converted"]
        counts[key][2] += session["phone_orders"]
    got = {(day_of(row[grain[0]]), row[grain[1]]): row for row in rows}
    assert len(got) == len(rows), "mf returned a group twice"
    assert counts, "the sample has sessions"
    assert got.keys() == counts.keys()
    for key, (sessions, converted, orders) in counts.items():
        assert int(got[key]["sessions"]) == sessions, key
        assert float(got[key]["phone_conversion_rate"]) == pytest.approx(
            converted / sessions
        ), key
        assert float(got[key]["phone_orders_per_session"]) == pytest.approx(
            orders / sessions
        ), key
