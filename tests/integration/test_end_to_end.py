"""End to end: landing folder in, marts out, compared with reference.py.

Each case builds the whole project with `dbt build --full-refresh` on a
landing folder (the hand-written sample, and data from
scripts/generate_landing.py, marked slow) and compares the warehouse with the
independent Python reading of the contract in reference.py: the three
TransactionSummary marts row for row, the rejects per vendor and reason, and
call_match_rates; column types are checked exactly as the contract's section
3 says. Further tests cover an empty landing folder, a missing one, and an
incremental build after files land late (rule 6).

Run: .venv/bin/pytest tests            (everything, ~2-3 minutes)
     .venv/bin/pytest tests -m 'not slow'
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import reference
from conftest import ENGINE, SAMPLE_LANDING, BuiltCase, DbtRun, Warehouse

MARTS = list(reference.MARTS)
MART_COLUMNS = list(reference.MART_COLUMNS)
RATE_COLUMNS = list(reference.MATCH_RATE_COLUMNS)
# Section 3b: each relation's columns, its key, and the reference's rows.
CONVERSION_RELATIONS: dict[str, tuple[list[str], list[str]]] = {
    "call_sessions": (
        list(reference.SESSION_COLUMNS),
        ["tracking_id", "context_id", "session_number"],
    ),
    "call_conversions_daily": (
        list(reference.CONVERSION_COLUMNS),
        ["session_date", "tracking_id", "entry_page_type"],
    ),
}
# Enough to tell one event from another in a diff (rule 4 keeps them apart).
EVENT_IDENTITY = [
    "tracking_id",
    "vendor",
    "event_type",
    "transaction_id",
    "context_id",
    "event_ts",
    "event_url",
]
MAX_DIFFS_SHOWN = 25

# Contract section 3, as DuckDB spells the types.
MART_TYPES = {
    "event_id": "VARCHAR",
    "tracking_id": "VARCHAR",
    "vendor": "VARCHAR",
    "event_type": "VARCHAR",
    "transaction_id": "VARCHAR",
    "context_id": "VARCHAR",
    "event_ts": "TIMESTAMP",
    "event_url": "VARCHAR",
    "received_at": "TIMESTAMP",
    "total_value": "DECIMAL(18,4)",
    "total_currency": "VARCHAR",
    "is_offline": "BOOLEAN",
    "is_matched": "BOOLEAN",
    "view_id": "VARCHAR",
    "view_ts": "TIMESTAMP",
    "view_url": "VARCHAR",
    "view_number": "INTEGER",
    "session_number": "INTEGER",
    "page_type": "VARCHAR",
}
MATCH_RATE_TYPES = {
    "event_date": "DATE",
    "tracking_id": "VARCHAR",
    "vendor": "VARCHAR",
    "event_type": "VARCHAR",
    "events": "INTEGER",
    "offline_events": "INTEGER",
    "online_events": "INTEGER",
    "matched_events": "INTEGER",
    "match_rate": "DOUBLE",
    "online_match_rate": "DOUBLE",
}
# call_events_rejected has "at least" these columns.
REJECTED_TYPES = {
    "vendor": "VARCHAR",
    "tracking_id": "VARCHAR",
    "source_file": "VARCHAR",
    "reason": "VARCHAR",
    "raw": "VARCHAR",
}
SESSION_TYPES = {
    "tracking_id": "VARCHAR",
    "context_id": "VARCHAR",
    "session_number": "INTEGER",
    "session_start": "TIMESTAMP",
    "session_end": "TIMESTAMP",
    "session_date": "DATE",
    "views": "INTEGER",
    "entry_view_id": "VARCHAR",
    "entry_url": "VARCHAR",
    "entry_page_type": "VARCHAR",
    "calls": "INTEGER",
    "phone_orders": "INTEGER",
    "first_call_ts": "TIMESTAMP",
    "seconds_to_first_call": "DOUBLE",
    "is_converted": "BOOLEAN",
}
CONVERSION_TYPES = {
    "session_date": "DATE",
    "tracking_id": "VARCHAR",
    "entry_page_type": "VARCHAR",
    "sessions": "INTEGER",
    "converted_sessions": "INTEGER",
    "calls": "INTEGER",
    "phone_orders": "INTEGER",
    "phone_conversion_rate": "DOUBLE",
}
CONTRACT_RELATIONS = [*MARTS, "call_match_rates", "call_events_rejected"]
# The same types as other engines spell them (DuckDB's names are the keys).
ENGINE_TYPE_NAMES: dict[str, dict[str, str]] = {
    "postgres": {
        "VARCHAR": "character varying",
        "TIMESTAMP": "timestamp without time zone",
        "DECIMAL(18,4)": "numeric(18,4)",
        "BOOLEAN": "boolean",
        "INTEGER": "integer",
        "DOUBLE": "double precision",
        "DATE": "date",
    },
    "spark": {
        "VARCHAR": "string",
        "TIMESTAMP": "timestamp",
        "DECIMAL(18,4)": "decimal(18,4)",
        "BOOLEAN": "boolean",
        "INTEGER": "int",
        "DOUBLE": "double",
        "DATE": "date",
    },
}


# --------------------------------------------------------------------------
# Normalising values so the two sides compare by meaning, not Python type
# --------------------------------------------------------------------------


def normalise(value: Any) -> Any:
    """One comparable form per value: nulls, UTC timestamps, 4-dp decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.0001"))
    if isinstance(value, float):
        # Rates are doubles: equal to 12 decimals is equal.
        return round(value, 12)
    return value


def rows_of(records: Iterable[dict[str, Any]], columns: Sequence[str]) -> list[tuple]:
    return [tuple(normalise(record.get(c)) for c in columns) for record in records]


def frame_rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple]:
    return rows_of(frame.to_dict("records"), columns)


def sort_key(row: tuple) -> tuple:
    # None sorts first; everything else by type then text, so mixed types
    # never raise and the order is stable.
    return tuple((value is not None, type(value).__name__, str(value)) for value in row)


def describe_diff(
    expected: list[tuple],
    actual: list[tuple],
    columns: Sequence[str],
    identity: Sequence[str],
) -> str:
    """Rows only on one side, paired by identity where possible."""
    missing = Counter(expected) - Counter(actual)
    extra = Counter(actual) - Counter(expected)
    position = [columns.index(c) for c in identity]

    def ident(row: tuple) -> tuple:
        return tuple(row[i] for i in position)

    extra_by_identity: dict[tuple, list[tuple]] = {}
    for row in sorted(extra.elements(), key=sort_key):
        extra_by_identity.setdefault(ident(row), []).append(row)
    lines: list[str] = []
    for row in sorted(missing.elements(), key=sort_key):
        partners = extra_by_identity.get(ident(row))
        if partners:
            other = partners.pop(0)
            changed = [
                f"{c}: expected {row[i]!r}, got {other[i]!r}"
                for i, c in enumerate(columns)
                if row[i] != other[i]
            ]
            lines.append(f"DIFFERS {ident(row)}: " + "; ".join(changed))
        else:
            lines.append(f"MISSING {dict(zip(columns, row, strict=False))}")
    for partners in extra_by_identity.values():
        lines.extend(f"EXTRA   {dict(zip(columns, row, strict=False))}" for row in partners)
    shown = lines[:MAX_DIFFS_SHOWN]
    if len(lines) > len(shown):
        shown.append(f"... and {len(lines) - len(shown)} more")
    return (
        f"{len(expected)} rows expected, {len(actual)} in the warehouse; "
        f"{sum(missing.values())} missing/different, {sum(extra.values())} extra:\n"
        + "\n".join(shown)
    )


def assert_same_rows(
    expected: list[tuple],
    actual: list[tuple],
    columns: Sequence[str],
    identity: Sequence[str],
    what: str,
) -> None:
    if sorted(expected, key=sort_key) != sorted(actual, key=sort_key):
        pytest.fail(f"{what}: " + describe_diff(expected, actual, columns, identity))


def assert_same_counts(expected: Counter, actual: Counter, what: str) -> None:
    if expected != actual:
        keys = sorted(set(expected) | set(actual), key=lambda k: tuple(map(str, k)))
        table = "\n".join(
            f"  {key}: expected {expected.get(key, 0)}, got {actual.get(key, 0)}"
            for key in keys
            if expected.get(key, 0) != actual.get(key, 0)
        )
        pytest.fail(f"{what} differ:\n{table}")


# --------------------------------------------------------------------------
# The comparisons, on every case (sample and generated)
# --------------------------------------------------------------------------


@pytest.mark.parametrize("mart", MARTS)
def test_mart_matches_reference(case: BuiltCase, mart: str) -> None:
    actual = frame_rows(case.warehouse.table(mart, MART_COLUMNS), MART_COLUMNS)
    expected = rows_of(case.expected.marts[mart], MART_COLUMNS)
    assert_same_rows(expected, actual, MART_COLUMNS, EVENT_IDENTITY, f"{case.name} {mart}")


@pytest.mark.parametrize("mart", MARTS)
def test_event_id_unique_and_not_null(case: BuiltCase, mart: str) -> None:
    ids = case.warehouse.table(mart, ["event_id"])["event_id"]
    assert ids.notna().all(), f"{mart}: null event_id"
    assert ids.is_unique, f"{mart}: duplicate event_id {ids[ids.duplicated()].tolist()[:5]}"


def test_rejected_counts_per_vendor_and_reason(case: BuiltCase) -> None:
    frame = case.warehouse.table("call_events_rejected", ["vendor", "reason"])
    actual = Counter(zip(frame["vendor"], frame["reason"], strict=False))
    assert_same_counts(case.expected.rejected_counts(), actual, f"{case.name} rejects")


def test_rejected_rows_per_file_and_tracking_id(case: BuiltCase) -> None:
    """Stricter: which file each reject came from and, for event-level
    reasons (the line was good), its tracking id. For invalid_line the
    tracking id is only best effort, so it is not compared."""

    def key(vendor: str, source_file: str, reason: str, tracking_id: Any) -> tuple:
        shown = None if reason == "invalid_line" else tracking_id
        return (vendor, source_file, reason, shown)

    frame = case.warehouse.table(
        "call_events_rejected", ["vendor", "source_file", "reason", "tracking_id"]
    )
    actual = Counter(key(*row) for row in frame.itertuples(index=False))
    expected = Counter(
        key(row.vendor, row.source_file, row.reason, row.tracking_id)
        for row in case.expected.rejected
    )
    assert_same_counts(expected, actual, f"{case.name} rejects per file")


def test_rejected_raw_is_kept(case: BuiltCase) -> None:
    frame = case.warehouse.table("call_events_rejected", ["raw"])
    assert frame["raw"].notna().all(), "call_events_rejected.raw has nulls"


def test_call_match_rates(case: BuiltCase) -> None:
    actual = frame_rows(case.warehouse.table("call_match_rates", RATE_COLUMNS), RATE_COLUMNS)
    expected = rows_of(case.expected.call_match_rates, RATE_COLUMNS)
    assert_same_rows(
        expected, actual, RATE_COLUMNS, RATE_COLUMNS[:4], f"{case.name} call_match_rates"
    )


@pytest.mark.parametrize("relation", list(CONVERSION_RELATIONS))
def test_conversions_match_reference(case: BuiltCase, relation: str) -> None:
    """Section 3b: call_sessions and call_conversions_daily row for row."""
    assert_conversions_equal_reference(case.warehouse, case.expected, relation, case.name)


def assert_conversions_equal_reference(
    warehouse: Warehouse, expected: reference.Result, relation: str, label: str
) -> None:
    columns, key = CONVERSION_RELATIONS[relation]
    assert_same_rows(
        rows_of(getattr(expected, relation), columns),
        frame_rows(warehouse.table(relation, columns), columns),
        columns,
        key,
        f"{label} {relation}",
    )


def test_nothing_lost(case: BuiltCase) -> None:
    """Rule 8: kept + rejected + duplicates = every event in every line."""
    expected = case.expected
    total_expected = (
        sum(len(rows) for rows in expected.marts.values())
        + len(expected.rejected)
        + len(expected.duplicates)
    )
    kept = sum(case.warehouse.count(mart) for mart in MARTS)
    rejected = case.warehouse.count("call_events_rejected")
    assert kept + rejected == total_expected - len(expected.duplicates), (
        f"{case.name}: {kept} kept + {rejected} rejected; reference: "
        f"{total_expected} events of which {len(expected.duplicates)} duplicates"
    )


# The project shows duplicates and unusable views in models of its own
# (rules 4, 7, 8 ask that they be visible; the contract does not name them).
DUPLICATES_RELATION = "call_events_duplicated"
UNUSABLE_VIEWS_RELATION = "view_events_rejected"


def test_duplicates_visible(case: BuiltCase) -> None:
    if case.warehouse.relation(DUPLICATES_RELATION) is None:
        pytest.skip(f"no {DUPLICATES_RELATION} relation in this project")
    columns = ["vendor", "tracking_id", "event_type", "transaction_id"]
    frame = case.warehouse.table(DUPLICATES_RELATION, columns)
    actual = Counter(frame_rows(frame, columns))
    expected = Counter(
        (e.vendor, e.tracking_id, e.event_type, e.transaction_id)
        for e in case.expected.duplicates
    )
    assert_same_counts(expected, actual, f"{case.name} duplicates")


def test_unusable_views_visible(case: BuiltCase) -> None:
    if case.warehouse.relation(UNUSABLE_VIEWS_RELATION) is None:
        pytest.skip(f"no {UNUSABLE_VIEWS_RELATION} relation in this project")
    frame = case.warehouse.table(UNUSABLE_VIEWS_RELATION, ["source_file", "line_number"])
    actual = Counter(frame_rows(frame, ["source_file", "line_number"]))
    expected = Counter((v.source_file, v.line_number) for v in case.expected.unusable_views)
    assert_same_counts(expected, actual, f"{case.name} unusable view lines")


# --------------------------------------------------------------------------
# Column types (contract section 3: "types are exact")
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relation", "expected", "exact_columns"),
    [
        *[(mart, MART_TYPES, True) for mart in MARTS],
        ("call_match_rates", MATCH_RATE_TYPES, True),
        ("call_sessions", SESSION_TYPES, True),
        ("call_conversions_daily", CONVERSION_TYPES, True),
        ("call_events_rejected", REJECTED_TYPES, False),
    ],
)
def test_column_types(
    sample_case: BuiltCase, relation: str, expected: dict[str, str], exact_columns: bool
) -> None:
    actual = sample_case.warehouse.column_types(relation)
    names = ENGINE_TYPE_NAMES.get(ENGINE.name)
    if names is not None:
        expected = {column: names[type_name] for column, type_name in expected.items()}
    wrong = {
        column: (expected_type, actual.get(column, "<missing>"))
        for column, expected_type in expected.items()
        if actual.get(column) != expected_type
    }
    assert not wrong, f"{relation}: column -> (contract type, actual type): {wrong}"
    if exact_columns:
        extra = sorted(set(actual) - set(expected))
        assert not extra, f"{relation}: columns not in the contract: {extra}"


# --------------------------------------------------------------------------
# Sample-only checks that pin a few cases by name (readable failures)
# --------------------------------------------------------------------------


def sample_event(case: BuiltCase, mart: str, **where: Any) -> dict[str, Any]:
    frame = case.warehouse.table(mart, MART_COLUMNS)
    for column, value in where.items():
        frame = frame[frame[column] == value]
    assert len(frame) == 1, f"{mart} {where}: {len(frame)} rows"
    return {column: normalise(value) for column, value in frame.iloc[0].items()}


@pytest.mark.parametrize(
    ("transaction_id", "view_id"),
    [
        ("T-1001", "ctx-a1-3"),  # latest of three views before the call
        ("T-1002", "ctx-a2-7"),  # exactly 30:00.000 before: matched
        ("T-1003", None),  # 30:01 before
        ("T-1005", "ctx-a5-5"),  # same view time: higher viewNumber
        ("T-1006", None),  # view 1 s after the call
        ("T-1007", None),  # views only under another tracking id
        ("T-1008", "ctx-a8-2"),  # a trView matches an ec call
        ("T-1011", None),  # re-sent view: the earliest ts (too early) wins
        ("T-1012", None),  # re-sent view: the earliest ts arrived later
        ("T-1013", None),  # only broken views
        ("T-1014", "ctx-a13-1"),  # view at the same millisecond
        ("T-3001", None),  # offline: never matched
        ("INF-1", "gbr0-inf-1-2"),  # Infinity gbr0 id is online
    ],
)
def test_sample_matching_cases(
    sample_case: BuiltCase, transaction_id: str, view_id: str | None
) -> None:
    row = sample_event(
        sample_case, "ec_basket_transaction_summary", transaction_id=transaction_id
    )
    assert row["view_id"] == view_id
    assert row["is_matched"] is (view_id is not None)


def test_sample_fi_match_window_is_to_the_millisecond(sample_case: BuiltCase) -> None:
    row = sample_event(
        sample_case, "fi_basket_transaction_summary", transaction_id="T-1004"
    )
    assert row["is_matched"] is False, "a view 30:00.001 before must not match"


def test_sample_build_ran_every_dbt_test(sample_case: BuiltCase) -> None:
    """The sample's build (make runs no other) ran dbt's data, singular and
    unit tests, none skipped; on Spark also the session-settings check."""
    if os.environ.get("CALL_TRACKING_UNIT_TESTS_DONE") == "1":
        pytest.skip("the caller built the sample with the unit tests itself")
    output = sample_case.output
    for kind in ("START unit_test", "START test", "PASS assert_every_call_event_accounted_for"):
        assert kind in output, f"no {kind!r} in the sample's build:\n{output[-3000:]}"
    if ENGINE.name == "spark":
        assert "PASS assert_spark_session_settings" in output, output[-3000:]
    summary = re.search(r"Done\. PASS=\d+ WARN=\d+ ERROR=(\d+) SKIP=(\d+)", output)
    assert summary is not None and summary.groups() == ("0", "0"), output[-3000:]


# --------------------------------------------------------------------------
# Edge folders: empty, missing
# --------------------------------------------------------------------------


def test_empty_landing_builds_empty_marts(
    build: Callable[..., DbtRun], tmp_path: Path
) -> None:
    """Empty vendor folders are a landing folder with nothing landed yet."""
    landing = tmp_path / "landing"
    for folder in ("responsetap", "infinity", "views"):
        (landing / folder).mkdir(parents=True)
    run = build(landing)
    run.check()
    warehouse = run.warehouse()
    counts = {name: warehouse.count(name) for name in CONTRACT_RELATIONS}
    assert all(count == 0 for count in counts.values()), counts


def test_missing_landing_dir_fails_naming_it(
    build: Callable[..., DbtRun], tmp_path: Path
) -> None:
    missing = tmp_path / "no_such_landing_folder"
    if ENGINE.name == "postgres":
        # PostgreSQL gets the files from the loader, run before dbt: it fails.
        with pytest.raises(RuntimeError) as raised:
            build(missing)
        output = str(raised.value)
    else:
        run = build(missing)
        assert run.returncode != 0, "dbt build must fail when landing_dir is missing"
        output = run.output
    assert str(missing) in output or missing.name in output, (
        "the error should name the folder:\n" + output[-3000:]
    )


def test_landing_dir_with_quote_and_space_in_its_path(
    build: Callable[..., DbtRun], sample_case: BuiltCase, tmp_path: Path
) -> None:
    """A folder's name is data, not SQL or a pattern: the sample under
    "o'brien's calls/" builds the same relations as under its own path."""
    landing = tmp_path / "o'brien's calls" / "landing"
    shutil.copytree(SAMPLE_LANDING, landing)
    run = build(landing)
    run.check()
    warehouse = run.warehouse()
    for name in CONTRACT_RELATIONS:
        assert warehouse.count(name) == sample_case.warehouse.count(name) > 0, name


# --------------------------------------------------------------------------
# Rule 6: files landing over time give the same marts as a full refresh
# --------------------------------------------------------------------------

# Drop 1 is everything else; drop 2 brings retries (one received earlier than
# the copy already built, T-2001) and the next day; drop 3 brings views that
# arrive after their calls (one re-sent with an earlier ts un-matches T-1012).
LATER_DROPS = [
    [
        "responsetap/2026/11/20/rt-acme-0002.ndjson.gz",
        "responsetap/2026/11/21/rt-acme-0003.ndjson",
        "infinity/2026-11-20/inf-globex-0002.ndjson.gz",
    ],
    ["views/2026/11/20/late/views-0002.ndjson.gz"],
]


def sample_files() -> list[str]:
    return sorted(
        path.relative_to(SAMPLE_LANDING).as_posix()
        for path in SAMPLE_LANDING.rglob("*")
        if path.is_file()
    )


def assert_warehouse_equals_reference(
    warehouse: Warehouse, expected: reference.Result, label: str
) -> None:
    """Marts row for row, rejects per vendor and reason, match rates."""
    for mart in MARTS:
        assert_same_rows(
            rows_of(expected.marts[mart], MART_COLUMNS),
            frame_rows(warehouse.table(mart, MART_COLUMNS), MART_COLUMNS),
            MART_COLUMNS,
            EVENT_IDENTITY,
            f"{label} {mart}",
        )
    rejected = warehouse.table("call_events_rejected", ["vendor", "reason"])
    assert_same_counts(
        expected.rejected_counts(),
        Counter(zip(rejected["vendor"], rejected["reason"], strict=False)),
        f"{label} rejects",
    )
    assert_same_rows(
        rows_of(expected.call_match_rates, RATE_COLUMNS),
        frame_rows(warehouse.table("call_match_rates", RATE_COLUMNS), RATE_COLUMNS),
        RATE_COLUMNS,
        RATE_COLUMNS[:4],
        f"{label} call_match_rates",
    )
    for relation in CONVERSION_RELATIONS:
        assert_conversions_equal_reference(warehouse, expected, relation, label)


def build_drop_by_drop(
    build: Callable[..., DbtRun],
    landing: Path,
    drops: Sequence[Callable[[], object]],
    db_name: str,
) -> Warehouse:
    """Land each drop, then build: a full refresh first, incremental after."""
    run: DbtRun | None = None
    for number, land in enumerate(drops):
        land()
        run = build(landing, db_name, full_refresh=number == 0)
        run.check()
    assert run is not None
    return run.warehouse()


def test_incremental_equals_full_refresh(
    build: Callable[..., DbtRun],
    landing_copy: Callable[[list[str]], Path],
    sample_case: BuiltCase,
) -> None:
    later = {path for drop in LATER_DROPS for path in drop}
    first = [p for p in sample_files() if p not in later]
    drops = [first, *LATER_DROPS]
    landing = landing_copy([])
    warehouse = build_drop_by_drop(
        build,
        landing,
        [lambda files=files: landing_copy(files) for files in drops],
        "incremental_sample",
    )
    assert_warehouse_equals_reference(
        warehouse, reference.build(str(landing)), "sample, drop by drop"
    )
    # "event_id: stable across rebuilds": the same events got the same ids
    # as in the full refresh of the whole sample.
    id_columns = ["event_id", *EVENT_IDENTITY]
    for mart in MARTS:
        incremental_ids = frame_rows(warehouse.table(mart, id_columns), id_columns)
        full_ids = frame_rows(sample_case.warehouse.table(mart, id_columns), id_columns)
        assert_same_rows(full_ids, incremental_ids, id_columns, EVENT_IDENTITY, f"{mart} event_id")


@pytest.mark.slow
def test_generated_drops_incremental_equals_reference(
    build: Callable[..., DbtRun], generated_drops: list[Path], tmp_path: Path
) -> None:
    """Rule 6 on generated data: retries and late views in later drops."""
    landing = tmp_path / "landing"
    landing.mkdir()
    warehouse = build_drop_by_drop(
        build,
        landing,
        [
            lambda drop=drop: shutil.copytree(drop, landing, dirs_exist_ok=True)
            for drop in generated_drops
        ],
        "incremental_generated",
    )
    assert_warehouse_equals_reference(
        warehouse, reference.build(str(landing)), "generated, drop by drop"
    )
