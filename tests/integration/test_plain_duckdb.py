"""scripts/plain_duckdb.py (the benchmark's plain DuckDB program) against reference.py.

The benchmark compares the dbt build with a plain DuckDB program doing the
whole contract; that ratio only means something if the program really does
the whole contract. Here it runs on the sample landing folder, a small
generated one and a folder of odd files (unreadable gzip, CR, BOM, NUL,
bytes that are not UTF-8, pattern characters in names), and its relations
are compared with the Python reading of the contract, reference.build():
the three marts row for row, call_match_rates, every rejected line or event
(file, line number, reason, raw), the view lines not usable for matching and
the files it could not read. No dbt build: these run in seconds.
"""

from __future__ import annotations

import gzip
import importlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import reference
from conftest import PROJECT_ROOT, SAMPLE_LANDING
from test_end_to_end import (
    EVENT_IDENTITY,
    MART_COLUMNS,
    MARTS,
    RATE_COLUMNS,
    assert_same_counts,
    assert_same_rows,
    frame_rows,
    rows_of,
)

pytestmark = pytest.mark.duckdb_only

SCRIPT = PROJECT_ROOT / "scripts" / "plain_duckdb.py"


sys.path.insert(0, str(SCRIPT.parent))
plain_duckdb = importlib.import_module("plain_duckdb")


@dataclass(frozen=True)
class PlainCase:
    name: str
    landing_dir: Path
    result: Any  # plain_duckdb.PlainResult
    expected: reference.Result

    def table(self, relation: str, columns: list[str]) -> Any:
        rows = self.result.con.execute(
            f"select {', '.join(columns)} from {relation}"
        ).fetchall()
        # From records: decimals stay Decimal (a DataFrame from DuckDB makes them floats).
        return pd.DataFrame.from_records(rows, columns=columns)


def write_odd_landing(root: Path) -> Path:
    """Files the fast reader must not take as they are, and unreadable ones."""
    good = {
        "tracking_id": "acme_uk",
        "received_at": "2026-11-20T10:15:03.123Z",
        "body": json.dumps({"events": [{
            "context": {"id": "visitor-1"},
            "meta": {"type": "ecBasketTransactionSummary", "ts": 1763633700},
            "transaction": {"id": 77},
        }]}),
    }
    line = json.dumps(good).encode()
    retry = json.dumps({**good, "received_at": "2026-11-20T10:15:04Z"}).encode()
    view = json.dumps({
        "meta": {"trackingId": "acme_uk", "ts": 1763633600123, "type": "ecView"},
        "context": {"id": "visitor-1", "viewNumber": 3, "sessionNumber": 1},
        "type": "basket",
    }).encode()
    files = {
        "responsetap/cr.ndjson": line + b"\r\n" + b"not json\r\n" + retry + b"\n",
        "responsetap/bom.ndjson": b"\xef\xbb\xbf" + line + b"\n" + b"\n",
        "responsetap/nul.ndjson": b"{\x00}\n" + retry,
        "responsetap/latin1.ndjson": b"caf\xe9\n" + retry + b"\n",
        "responsetap/odd [name] *?{x}.ndjson": b"\n  \n" + line,
        "responsetap/broken.ndjson.gz": gzip.compress(line)[:-6],
        "responsetap/trailing.ndjson.gz": gzip.compress(line) + b"junk",
        "responsetap/plain.ndjson.gz": line,
        "infinity/ok.ndjson.gz": gzip.compress(line + b"\n" + b"[1, 2]\n"),
        "views/v.ndjson": view + b"\n{broken\n\n" + view + b"\r\n",
        "views/truncated.ndjson.gz": gzip.compress(view)[:10],
    }
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture(scope="module", params=["sample", "generated", "odd_files"])
def plain_case(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PlainCase]:
    if request.param == "sample":
        landing = SAMPLE_LANDING
    elif request.param == "generated":
        landing = request.getfixturevalue("generated_landing")
    else:
        landing = write_odd_landing(tmp_path_factory.mktemp("odd") / "landing")
    result = plain_duckdb.build(landing)
    yield PlainCase(request.param, landing, result, reference.build(str(landing)))
    result.con.close()


@pytest.mark.parametrize("mart", MARTS)
def test_mart_matches_reference(plain_case: PlainCase, mart: str) -> None:
    actual = frame_rows(plain_case.table(mart, MART_COLUMNS), MART_COLUMNS)
    expected = rows_of(plain_case.expected.marts[mart], MART_COLUMNS)
    assert_same_rows(expected, actual, MART_COLUMNS, EVENT_IDENTITY,
                     f"plain DuckDB {plain_case.name} {mart}")


@pytest.mark.parametrize("mart", MARTS)
def test_event_id_unique(plain_case: PlainCase, mart: str) -> None:
    ids = plain_case.table(mart, ["event_id"])["event_id"]
    assert ids.notna().all() and ids.is_unique, mart


def test_match_rates_match_reference(plain_case: PlainCase) -> None:
    actual = frame_rows(plain_case.table("call_match_rates", RATE_COLUMNS), RATE_COLUMNS)
    expected = rows_of(plain_case.expected.call_match_rates, RATE_COLUMNS)
    assert_same_rows(expected, actual, RATE_COLUMNS, RATE_COLUMNS[:4],
                     f"plain DuckDB {plain_case.name} call_match_rates")


def test_rejects_per_vendor_and_reason(plain_case: PlainCase) -> None:
    frame = plain_case.table("call_events_rejected", ["vendor", "reason"])
    actual = Counter(zip(frame["vendor"], frame["reason"], strict=True))
    assert_same_counts(plain_case.expected.rejected_counts(), actual,
                       f"plain DuckDB {plain_case.name} rejects")


def test_rejects_per_line(plain_case: PlainCase) -> None:
    """Each reject's file, line number, reason and (for event-level reasons)
    tracking id; the raw line of a line-level reject exactly, the event of
    an event-level one as the same JSON value."""

    def key(vendor: str, source_file: str, line: int, reason: str, tracking_id: Any,
            raw: str) -> tuple[Any, ...]:
        if reason in ("invalid_line", "invalid_body"):
            shown_raw: Any = raw
        else:
            shown_raw = json.dumps(json.loads(raw), sort_keys=True)
        shown_tracking_id = None if reason == "invalid_line" else tracking_id
        return (vendor, source_file, int(line), reason, shown_tracking_id, shown_raw)

    columns = ["vendor", "source_file", "line_number", "reason", "tracking_id", "raw"]
    frame = plain_case.table("call_events_rejected", columns)
    actual = Counter(key(*row) for row in frame.itertuples(index=False))
    expected = Counter(
        key(r.vendor, r.source_file, r.line_number, r.reason, r.tracking_id, r.raw)
        for r in plain_case.expected.rejected
    )
    assert_same_counts(expected, actual, f"plain DuckDB {plain_case.name} rejects per line")


def test_contract_relations_exist(plain_case: PlainCase) -> None:
    tables = {
        row[0] for row in plain_case.result.con.execute(
            "select table_name from information_schema.tables"
        ).fetchall()
    }
    assert set(plain_duckdb.CONTRACT_RELATIONS) <= tables


def test_nothing_lost(plain_case: PlainCase) -> None:
    expected = plain_case.expected
    kept = sum(len(rows) for rows in expected.marts.values())
    counted = plain_case.result.con.execute(
        "select " + " + ".join(f"(select count(*) from {relation})" for relation in
                   (*MARTS, "call_events_rejected"))
    ).fetchone()[0]
    assert counted == kept + len(expected.rejected)


def test_unusable_view_lines_counted(plain_case: PlainCase) -> None:
    expected = plain_case.expected
    assert plain_case.result.view_lines == expected.lines_read["views"]
    assert plain_case.result.view_lines_unusable == len(expected.unusable_views)


def test_unreadable_files_listed(plain_case: PlainCase) -> None:
    landing = str(plain_case.landing_dir)
    expected = sorted(
        reference.display_path(relative)
        for folder in (*reference.VENDOR_FOLDERS, reference.VIEW_FOLDER)
        for relative in reference.list_landing_files(landing, folder)
        if reference.read_whole(landing, relative) is None
    )
    listed = sorted(source_file for source_file, _error in plain_case.result.unreadable)
    assert listed == expected
    if plain_case.name == "odd_files":
        assert len(listed) == 4 and plain_case.result.files_exact >= 5


def test_counts_for_the_benchmark() -> None:
    """run(): the dict the benchmark compares, from the same relations."""
    counts = plain_duckdb.run(SAMPLE_LANDING)
    expected = reference.build(str(SAMPLE_LANDING))
    assert counts["totals"]["events"] == sum(len(rows) for rows in expected.marts.values())
    assert counts["totals"]["matched"] == sum(
        row["matched_events"] for row in expected.call_match_rates
    )
    assert sum(counts["rejected"].values()) == len(expected.rejected)
    assert len(counts["daily"]) == len(expected.call_match_rates)
