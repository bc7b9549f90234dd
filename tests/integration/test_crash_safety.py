"""A build killed anywhere, or run with the clock wrong, is mended by the next.

- kill -9 in the middle of a `--full-refresh` (after each of several models
  was written), then a plain build: the warehouse equals the reference,
  nothing doubled, nothing lost;
- a build run with the clock an hour ahead, then builds with the right
  clock: the files that land later are still read and staged (watermarks
  never go back).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import reference
from conftest import ENGINE, PROJECT_ROOT, SAMPLE_LANDING, DbtRun, dbt_build_command
from test_end_to_end import LATER_DROPS, assert_warehouse_equals_reference, sample_files

pytestmark = pytest.mark.skipif(
    ENGINE.name == "spark", reason="Spark's metastore and parquet writes are not crash-safe"
)

# Models after whose write the full refresh is killed: the manifest, the
# lines, a staging model, the deduplication, the match, the quarantine.
KILL_AFTER = [
    "base_landing__files",
    "base_landing__lines",
    "stg_qubit__views",
    "int_call_events_deduplicated",
    "int_call_events_matched",
    "call_events_rejected",
]


def assert_nothing_doubled(run: DbtRun, expected: reference.Result) -> None:
    warehouse = run.warehouse()
    duplicated = warehouse.table("call_events_duplicated", ["vendor"])
    assert Counter(duplicated["vendor"]) == expected.duplicate_counts()
    unusable = warehouse.table("view_events_rejected", ["source_file", "line_number"])
    assert not unusable.duplicated().any(), "a view line quarantined twice"


def kill_full_refresh_after(
    model: str, landing: Path, location: Path, dbt_dirs: Path
) -> None:
    """Start `dbt build --full-refresh`; kill -9 it once `model` is written."""
    command, env = dbt_build_command(landing, location, dbt_dirs, full_refresh=True)
    written = re.compile(rf"OK created .*\.{re.escape(model)} ")
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    assert process.stdout is not None
    output = []
    for line in process.stdout:
        output.append(line)
        if written.search(line):
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL, (
        f"the build ended before {model} was written:\n" + "".join(output[-30:])
    )


@pytest.mark.parametrize("model", KILL_AFTER)
def test_killed_full_refresh_is_mended_by_a_plain_build(
    model: str,
    build: Callable[..., DbtRun],
    dbt_dirs: Path,
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_LANDING, landing)
    db_name = f"killed_after_{model}"
    build(landing, db_name).check()

    location = tmp_path_factory.getbasetemp() / f"warehouse_{db_name}"
    kill_full_refresh_after(model, landing, location, dbt_dirs)

    run = build(landing, db_name, full_refresh=False)
    run.check()
    expected = reference.build(str(landing))
    assert_warehouse_equals_reference(run.warehouse(), expected, f"killed after {model}")
    assert_nothing_doubled(run, expected)


# Every load-time column a later build compares with: what a build run with
# the clock an hour ahead leaves behind.
CLOCK_COLUMNS = {
    "base_landing__files": ["checked_at"],
    "base_landing__lines": ["loaded_at"],
    "stg_qubit__views": ["_loaded_at"],
    "stg_landing__call_events": ["_loaded_at"],
    "int_call_events_deduplicated": ["_loaded_at", "_processed_at"],
    "int_call_events_matched": ["_processed_at", "_deduplicated_at", "_views_loaded_until"],
    "call_events_rejected": ["loaded_at"],
    "view_events_rejected": ["loaded_at"],
}


@pytest.mark.duckdb_only
def test_clock_set_back_hides_no_file(
    build: Callable[..., DbtRun],
    landing_copy: Callable[[list[str]], Path],
) -> None:
    later = {path for drop in LATER_DROPS for path in drop}
    landing = landing_copy([p for p in sample_files() if p not in later])
    first = build(landing, "clock_ahead")
    first.check()
    # As if that build had run with the clock an hour ahead.
    with duckdb.connect(str(first.db_path)) as connection:
        for table, columns in CLOCK_COLUMNS.items():
            (schema,) = connection.execute(
                "select table_schema from information_schema.tables "
                "where table_name = ? and table_type = 'BASE TABLE'",
                [table],
            ).fetchall()[0]
            shifted = ", ".join(f"{c} = {c} + interval 1 hour" for c in columns)
            connection.execute(f'update "{schema}"."{table}" set {shifted}')

    for drop in LATER_DROPS:
        landing_copy(drop)
        run = build(landing, "clock_ahead", full_refresh=False)
        run.check()
    assert_warehouse_equals_reference(
        run.warehouse(), reference.build(str(landing)), "after a clock set back"
    )
