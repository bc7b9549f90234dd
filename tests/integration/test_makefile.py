"""`make run` and `postgres-load` pass LANDING_DIR as data (issue 16): any
path reaches dbt and the loader as one argument, never as shell or YAML, and
the bundled sample is built into a warehouse of its own."""

from __future__ import annotations

import shlex
import subprocess

import pytest
import yaml
from conftest import PROJECT_ROOT

pytestmark = pytest.mark.duckdb_only

HOSTILE_PATHS = [
    "/data/o'brien's calls",
    "x'; touch /tmp/call_tracking_pwned; echo '",
    '/data/"quoted" $(id) `id` $HOME \\ back',
    "/data/a: b, {c}",
]


def make(*arguments: str, dry_run: bool = True) -> str:
    """The commands `make` would run (-n), setup assumed done (-o)."""
    completed = subprocess.run(
        ["make", "-s", *(["-n"] if dry_run else []), "-o", ".venv/bin/dbt", *arguments],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
        check=True,
    )
    return completed.stdout


def argument_after(output: str, command: str, option: str) -> str:
    for line in output.splitlines():
        words = shlex.split(line)
        if any(word.endswith(command) for word in words) and option in words:
            return words[words.index(option) + 1]
    raise AssertionError(f"no {command} {option} in:\n{output}")


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_landing_dir_reaches_dbt_as_one_value(path: str) -> None:
    output = make("run", f"LANDING_DIR={path}")
    dbt_vars = yaml.safe_load(argument_after(output, "/dbt", "--vars"))
    assert dbt_vars == {"landing_dir": path}


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_landing_dir_reaches_the_postgres_loader_as_one_argument(path: str) -> None:
    output = make("postgres-load", f"LANDING_DIR={path}")
    assert argument_after(output, "load_landing_postgres.py", "--landing-dir") == path


def warehouse_of(*arguments: str) -> str:
    return make(
        "--eval", "show-warehouse: ; @echo \"$$DBT_DUCKDB_PATH\"",
        "show-warehouse", *arguments, dry_run=False,
    ).strip()


def test_sample_has_its_own_warehouse(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBT_DUCKDB_PATH", raising=False)
    assert warehouse_of() == "target/sample_warehouse.duckdb"
    assert warehouse_of("LANDING_DIR=/data/landing") == ""  # dbt's default
