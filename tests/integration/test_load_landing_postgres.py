"""scripts/load_landing_postgres.py: the landing files' lines reach PostgreSQL
exactly as base_landing__lines.py reads them (split on \\n, numbered from 1,
gzip, bad bytes flagged), a NUL byte included, and a file is loaded once.

Runs when CALL_TRACKING_ENGINE=postgres (it needs the server); the last test,
a broken line reaching the quarantine, runs on every engine.
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ENGINE, PROJECT_ROOT, DbtRun

LOADER = PROJECT_ROOT / "scripts" / "load_landing_postgres.py"

needs_postgres = pytest.mark.skipif(
    ENGINE.name != "postgres", reason=f"the PostgreSQL loader; engine is {ENGINE.name}"
)

GOOD = b'{"meta": {"id": "v1"}}'
# file (relative to the landing folder) -> its bytes
FILES: dict[str, bytes] = {
    # No newline at the end: the last line still counts.
    "views/a.ndjson": GOOD + b"\n" + GOOD,
    # A final newline ends the last line (no empty line 3); a blank line
    # in the middle is a line; tab, carriage return and backslash kept.
    "views/sub/b.ndjson": b'{"x": "a\\\\b\\tc"}\t\r\n\n' + GOOD + b"\n",
    "views/c.ndjson.gz": gzip.compress(GOOD + b"\n" + GOOD + b"\n"),
    # A NUL byte and bytes that are not UTF-8: kept, flagged.
    "responsetap/d.ndjson": b'{"a": "\x00"}\n{"b": "\xff\xfe"}\n' + GOOD,
    "infinity/empty.ndjson": b"",
    # Not landing files: ignored.
    "views/_SUCCESS": b"",
    "views/e.ndjson.tmp": GOOD,
    "views/notes.json": GOOD,
}
EXPECTED_LINES: list[tuple[str, str, int, str, bool]] = [
    ("responsetap", "responsetap/d.ndjson", 1, '{"a": "\ufffd"}', False),
    ("responsetap", "responsetap/d.ndjson", 2, '{"b": "\ufffd\ufffd"}', False),
    ("responsetap", "responsetap/d.ndjson", 3, GOOD.decode(), True),
    ("views", "views/a.ndjson", 1, GOOD.decode(), True),
    ("views", "views/a.ndjson", 2, GOOD.decode(), True),
    ("views", "views/c.ndjson.gz", 1, GOOD.decode(), True),
    ("views", "views/c.ndjson.gz", 2, GOOD.decode(), True),
    ("views", "views/sub/b.ndjson", 1, '{"x": "a\\\\b\\tc"}\t\r', True),
    ("views", "views/sub/b.ndjson", 2, "", True),
    ("views", "views/sub/b.ndjson", 3, GOOD.decode(), True),
]


def write_landing(root: Path, files: dict[str, bytes]) -> Path:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def run_loader(
    landing: Path, env: dict[str, str], *extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(LOADER), "--landing-dir", str(landing), *extra],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def database(tmp_path: Path) -> dict[str, str]:
    """A new, empty database of its own: the loader's environment."""
    location = tmp_path / "warehouse"
    empty = tmp_path / "empty_landing"
    empty.mkdir()
    return ENGINE.prepare(location, empty) | {"_location": str(location)}


def raw_lines(database: dict[str, str]) -> list[tuple]:
    warehouse = ENGINE.warehouse(Path(database["_location"]))
    frame = warehouse._query(
        "select landing_folder, source_file, line_number, line, is_valid_utf8 "
        "from landing_raw.landing_lines order by source_file, line_number"
    )
    return [tuple(row) for row in frame.itertuples(index=False)]


def manifest(database: dict[str, str]) -> dict[str, int]:
    warehouse = ENGINE.warehouse(Path(database["_location"]))
    frame = warehouse._query("select source_file, line_count from landing_raw.landing_files")
    return dict(zip(frame["source_file"], frame["line_count"], strict=True))


def loader_env(database: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in database.items() if not key.startswith("_")}


@needs_postgres
def test_lines_arrive_as_the_duckdb_reader_splits_them(
    database: dict[str, str], tmp_path: Path
) -> None:
    landing = write_landing(tmp_path / "landing", FILES)
    completed = run_loader(landing, loader_env(database))
    assert completed.returncode == 0, completed.stderr
    assert raw_lines(database) == EXPECTED_LINES
    assert manifest(database) == {
        "infinity/empty.ndjson": 0,
        "responsetap/d.ndjson": 3,
        "views/a.ndjson": 2,
        "views/c.ndjson.gz": 2,
        "views/sub/b.ndjson": 3,
    }
    assert "5 to load" in completed.stderr, completed.stderr


@needs_postgres
def test_a_file_is_loaded_once(database: dict[str, str], tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing", FILES)
    assert run_loader(landing, loader_env(database)).returncode == 0
    again = run_loader(landing, loader_env(database))
    assert again.returncode == 0, again.stderr
    assert "0 to load" in again.stderr, again.stderr
    assert raw_lines(database) == EXPECTED_LINES

    write_landing(landing, {"views/2026/later.ndjson": GOOD})
    later = run_loader(landing, loader_env(database))
    assert later.returncode == 0, later.stderr
    assert "1 to load" in later.stderr, later.stderr
    assert raw_lines(database) == sorted(
        [*EXPECTED_LINES, ("views", "views/2026/later.ndjson", 1, GOOD.decode(), True)],
        key=lambda row: (row[1], row[2]),
    )


@needs_postgres
def test_missing_landing_dir_is_a_clear_error(
    database: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "no_such_folder"
    completed = run_loader(missing, loader_env(database))
    assert completed.returncode == 1
    assert str(missing) in completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr


@needs_postgres
def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    landing = write_landing(tmp_path / "landing", FILES)
    # Port 1 on the loopback address: nothing listens there.
    completed = run_loader(landing, {"DBT_POSTGRES_HOST": "127.0.0.1", "DBT_POSTGRES_PORT": "1"})
    assert completed.returncode == 1
    assert "cannot connect to PostgreSQL" in completed.stderr, completed.stderr
    assert "Traceback" not in completed.stderr, completed.stderr


def test_broken_lines_reach_the_quarantine(
    build: Callable[..., DbtRun], tmp_path: Path
) -> None:
    """Every engine: a line with a NUL byte, one that is not UTF-8 and one
    cut off are each an invalid_line in call_events_rejected, beside a good
    event from the same file; a broken view line is in view_events_rejected."""
    good_call = (
        b'{"tracking_id": "acme_uk", "received_at": "2026-11-20T10:20:00Z", "body": '
        b'"{\\"events\\": [{\\"context\\": {\\"id\\": \\"c1\\"}, \\"meta\\": {\\"type\\": '
        b'\\"ecBasketTransactionSummary\\", \\"ts\\": 1763633700}}]}"}'
    )
    landing = write_landing(
        tmp_path / "landing",
        {
            "responsetap/calls.ndjson": b"\n".join(
                [
                    good_call,
                    good_call.replace(b"acme_uk", b"acme\x00uk"),
                    good_call.replace(b"acme_uk", b"acme\xffuk"),
                    good_call[:40],
                ]
            ),
            "views/views.ndjson": b'{"meta": {"trackingId": "acme_uk", \x00',
        },
    )
    run = build(landing)
    run.check()
    warehouse = run.warehouse()
    rejected = warehouse.table("call_events_rejected", ["line_number", "reason"])
    assert sorted(zip(rejected["line_number"], rejected["reason"], strict=True)) == [
        (2, "invalid_line"),
        (3, "invalid_line"),
        (4, "invalid_line"),
    ]
    assert warehouse.count("ec_basket_transaction_summary") == 1
    views = warehouse.table("view_events_rejected", ["line_number", "reason"])
    assert list(zip(views["line_number"], views["reason"], strict=True)) == [(1, "invalid_line")]
