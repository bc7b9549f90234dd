"""Running unattended (issue 16): what a scheduler runs builds from any
working directory, leaves no intermediate relations behind, and sends no
usage statistics."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import DBT, PROJECT_ROOT, SAMPLE_LANDING, DbtRun

pytestmark = pytest.mark.duckdb_only


def dbt(
    *arguments: str, cwd: Path, tmp_path: Path, database: Path | None
) -> subprocess.CompletedProcess[str]:
    """dbt as a scheduler runs it: from `cwd`, naming the project, into
    `database` (None: the default warehouse)."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("DBT_")
    }
    if database is not None:
        env["DBT_DUCKDB_PATH"] = str(database)
    env["DBT_TARGET_PATH"] = str(tmp_path / "dbt_target")
    env["DBT_LOG_PATH"] = str(tmp_path / "logs")
    return subprocess.run(
        [
            str(DBT), *arguments,
            "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT),
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )


def test_production_selector_is_every_model_and_data_test(tmp_path: Path) -> None:
    def resource_types(*selection: str) -> list[str]:
        listed = dbt(
            "ls", *selection, "--output", "json", "--output-keys", "resource_type",
            cwd=PROJECT_ROOT, tmp_path=tmp_path, database=tmp_path / "w.duckdb",
        )
        assert listed.returncode == 0, listed.stdout[-3000:]
        return [
            json.loads(line)["resource_type"]
            for line in listed.stdout.splitlines()
            if line.startswith("{")
        ]

    everything = resource_types()
    production = resource_types("--selector", "production")
    assert "unit_test" in everything and "unit_test" not in production
    for kind in ("model", "test", "seed"):
        assert production.count(kind) == everything.count(kind) > 0, kind


def test_scheduled_build_from_another_directory(tmp_path: Path) -> None:
    """cron, Airflow or Dagster start dbt elsewhere and name the project."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    database = tmp_path / "warehouse.duckdb"
    completed = dbt(
        "build", "--selector", "production",
        "--vars", json.dumps({"landing_dir": str(SAMPLE_LANDING)}),
        cwd=elsewhere, tmp_path=tmp_path, database=database,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "unit_test" not in completed.stdout
    with duckdb.connect(str(database), read_only=True) as connection:
        (rows,) = connection.execute(
            "select count(*) from marts.ec_basket_transaction_summary"
        ).fetchone()
    assert rows > 0
    assert not list(elsewhere.iterdir()), "nothing is written where dbt started"


def test_default_warehouse_is_in_the_project(tmp_path: Path) -> None:
    """Without DBT_DUCKDB_PATH the file is target/ of the project, not of
    the directory dbt was started in."""
    completed = dbt("debug", cwd=tmp_path, tmp_path=tmp_path, database=None)
    expected = f"path: {PROJECT_ROOT / 'target' / 'call_tracking.duckdb'}"
    assert expected in completed.stdout, completed.stdout[-2000:]
    assert not (tmp_path / "target").exists()  # no warehouse made here


def leftovers(database: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_name like '%\\_\\_dbt\\_tmp%' escape '\\'"
        ).fetchall()


def test_no_temporary_relation_survives_a_build(
    build: Callable[..., DbtRun], landing_copy: Callable[[list[str]], Path]
) -> None:
    """An incremental build leaves none of its own, and one a killed build
    left behind is gone after the next build."""
    landing = landing_copy(["views/2026/11/20/views-0001.ndjson"])
    first = build(landing, "leftovers")
    first.check()
    with duckdb.connect(str(first.db_path)) as connection:
        connection.execute(
            "create table main.base_landing__lines__dbt_tmp20260101000000"
            " as select 1 as killed"
        )
    landing_copy(["responsetap/2026/11/21/rt-acme-0003.ndjson"])
    incremental = build(landing, "leftovers", full_refresh=False)
    incremental.check()
    assert leftovers(incremental.db_path) == []


def test_usage_statistics_off_by_default() -> None:
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    assert project["flags"]["send_anonymous_usage_stats"] is False
