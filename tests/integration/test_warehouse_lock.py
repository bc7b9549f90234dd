"""A warehouse file held by another process gives a message saying what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT

pytestmark = pytest.mark.duckdb_only


def check_warehouse(database: Path) -> subprocess.CompletedProcess[str]:
    """Run scripts/check_warehouse.py against `database`."""
    return subprocess.run(
        [sys.executable, "scripts/check_warehouse.py"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DBT_DUCKDB_PATH": str(database)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
        check=False,
    )


def test_locked_warehouse_is_explained(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    holder = duckdb.connect(str(database))  # this process holds the write lock
    try:
        completed = check_warehouse(database)
    finally:
        holder.close()
    assert completed.returncode != 0
    assert "locked by another process" in completed.stdout
    assert "DBT_DUCKDB_PATH" in completed.stdout  # what to do about it


def test_free_warehouse_passes_the_check(tmp_path: Path) -> None:
    database = tmp_path / "new" / "warehouse.duckdb"
    completed = check_warehouse(database)
    assert completed.returncode == 0, completed.stdout
    assert database.exists()
