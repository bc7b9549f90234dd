"""Incremental builds equal a full refresh (contract rules 4, 6 and 8).

Snowplow's pattern: generated data split into drops that land one after
another (views lagging their calls by up to two days, retries landing in
later drops, and originals landing after their retry, so the marts must
drop an event already built); the first drop is built with --full-refresh, each later one
incrementally. Every relation must then equal a full refresh over all the
files, row for row and column for column; a build with nothing new must
change nothing and read no file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import (
    ANALYST_RELATIONS,
    DBT,
    ENGINE,
    GENERATOR,
    PROJECT_ROOT,
    DbtRun,
    Warehouse,
)

pytestmark = pytest.mark.slow

DROPS = 4
GENERATOR_ARGS = [
    "--days", "4", "--properties", "2", "--views", "6000", "--calls", "900",
    "--seed", "11", "--drops", str(DROPS), "--max-view-lag-days", "2",
    "--late-view-share", "0.25", "--duplicate-share", "0.15", "--quiet",
]
RELATIONS = ANALYST_RELATIONS


@pytest.fixture(scope="module")
def drops(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out_dir = tmp_path_factory.mktemp("incremental") / "drops"
    subprocess.run(
        [sys.executable, str(GENERATOR), str(out_dir), *GENERATOR_ARGS],
        cwd=PROJECT_ROOT,
        check=True,
        timeout=300,
    )
    found = sorted(out_dir.glob("drop_*"))
    assert len(found) == DROPS
    return found


def snapshot(warehouse: Warehouse) -> dict[str, pd.DataFrame]:
    """Every relation, sorted on all its columns, so order does not matter.

    Doubles are compared to 1e-9 relative: a parallel sum of doubles may
    differ in its last bits from one run to the next.
    """
    tables = {}
    for name, ignored in RELATIONS.items():
        frame = warehouse.table(name).drop(columns=ignored)
        order = frame.map(
            lambda value: f"{value:.6g}" if isinstance(value, float) else str(value)
        ).sort_values(list(frame.columns)).index
        tables[name] = frame.loc[order].reset_index(drop=True)
    return tables


def assert_same_tables(
    actual: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame], label: str
) -> None:
    for name, frame in expected.items():
        assert list(actual[name].columns) == list(frame.columns), f"{label}: {name}"
        assert len(actual[name]) == len(frame), (
            f"{label}: {name} has {len(actual[name])} rows, expected {len(frame)}"
        )
        pd.testing.assert_frame_equal(
            actual[name], frame, check_exact=False, rtol=1e-9, obj=f"{label}: {name}"
        )


def build_drop_by_drop(
    build: Callable[..., DbtRun],
    drops: list[Path],
    landing: Path,
    db_name: str,
    variables: dict[str, Any] | None = None,
) -> Warehouse:
    """Land each drop, then build (its tests included: rule 8 after each)."""
    landing.mkdir(parents=True, exist_ok=True)
    run: DbtRun | None = None
    for number, drop in enumerate(drops):
        shutil.copytree(drop, landing, dirs_exist_ok=True)
        run = build(
            landing, db_name, full_refresh=number == 0, variables=variables
        )
        run.check()
    assert run is not None
    return run.warehouse()


@pytest.fixture(scope="module")
def full_refresh(
    build: Callable[..., DbtRun], drops: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, pd.DataFrame]:
    landing = tmp_path_factory.mktemp("all_drops") / "landing"
    for drop in drops:
        shutil.copytree(drop, landing, dirs_exist_ok=True)
    run = build(landing, "incremental_full_refresh")
    run.check()
    return snapshot(run.warehouse())


def test_incremental_builds_equal_full_refresh_then_noop(
    build: Callable[..., DbtRun],
    drops: list[Path],
    full_refresh: dict[str, pd.DataFrame],
    tmp_path: Path,
) -> None:
    landing = tmp_path / "landing"
    warehouse = build_drop_by_drop(build, drops, landing, "incremental_drops")
    after_drops = snapshot(warehouse)
    assert_same_tables(after_drops, full_refresh, "incremental vs full refresh")

    manifest_before = warehouse.table("base_landing__lines", ["source_file", "loaded_at"])
    build(landing, "incremental_drops", full_refresh=False).check()
    assert_same_tables(snapshot(warehouse), after_drops, "build with no new files")
    manifest_after = warehouse.table("base_landing__lines", ["source_file", "loaded_at"])
    assert len(manifest_after) == len(manifest_before), "a file was read twice"
    assert manifest_after["loaded_at"].max() == manifest_before["loaded_at"].max()


def test_data_exercises_late_views(
    build: Callable[..., DbtRun],
    drops: list[Path],
    full_refresh: dict[str, pd.DataFrame],
    tmp_path: Path,
) -> None:
    """Without the lookback the drops do not add up to the full refresh, so
    the test above really checks rule 6 (it is not passing by luck)."""
    if getattr(ENGINE, "rebuilds_keyed_models_whole", False):
        pytest.skip(
            f"on {ENGINE.name} the deduplicated and matched models are rebuilt "
            "whole on every build (no lookback is involved)"
        )
    warehouse = build_drop_by_drop(
        build,
        drops,
        tmp_path / "landing",
        "incremental_no_lookback",
        variables={"rematch_lookback_days": 0},
    )
    without_lookback = snapshot(warehouse)
    with pytest.raises(AssertionError):
        assert_same_tables(without_lookback, full_refresh, "lookback 0")


@pytest.mark.duckdb_only
@pytest.mark.parametrize(
    ("relation", "damage"),
    [
        # A file read twice: its lines again, as a later load.
        (
            "staging.base_landing__lines",
            "insert into staging.base_landing__lines "
            "select * replace (loaded_at + interval 1 hour as loaded_at) "
            "from staging.base_landing__lines "
            "where source_file = 'views/2026/11/20/views-0001.ndjson'",
        ),
        # A line lost on its way into staging.
        (
            "staging.stg_qubit__views",
            "delete from staging.stg_qubit__views "
            "where source_file = 'views/2026/11/20/views-0001.ndjson' "
            "and line_number = 2",
        ),
    ],
    ids=["file_read_twice", "line_lost"],
)
def test_lines_numbered_once_catches_repeated_and_lost_lines(
    build: Callable[..., DbtRun],
    landing_copy: Callable[[list[str]], Path],
    relation: str,
    damage: str,
    tmp_path: Path,
) -> None:
    """The cheap per-file test that stands in for a unique (file, line) test
    on the line tables fails when a file's lines repeat or one goes missing."""
    landing = landing_copy(["views/2026/11/20/views-0001.ndjson"])
    run = build(landing)
    run.check()
    with duckdb.connect(str(run.db_path)) as connection:
        connection.execute(damage)
    completed = subprocess.run(
        [
            str(DBT), "test",
            "--select", f"{relation.split('.')[1]},test_name:lines_numbered_once",
            "--vars", f"{{landing_dir: {landing}}}",
        ],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            **ENGINE.prepare(run.location, landing),
            "DBT_PROFILES_DIR": str(PROJECT_ROOT),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    assert completed.returncode != 0, completed.stdout[-2000:]
    assert "FAIL 1 lines_numbered_once" in completed.stdout, completed.stdout[-2000:]
