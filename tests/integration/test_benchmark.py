"""scripts/benchmark.py end to end at a tiny scale.

Runs the whole benchmark (generate, dbt full build, plain DuckDB, pandas,
one-day incremental build) on about a thousand views and checks that it
writes results.json and README.md with the expected figures, and that dbt,
the plain DuckDB script and the pandas script agreed. Timings are never
asserted: they depend on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "benchmark.py"

STEP_FIELDS = {
    "wall_seconds", "input_lines", "rows_per_second", "peak_rss_bytes", "cpu_seconds",
    "returncode",
}
DBT_STEP_FIELDS = {"dbt_elapsed_seconds", "slowest_models", "tests", "test_failures"}

pytestmark = [pytest.mark.slow, pytest.mark.duckdb_only]  # two dbt builds


@pytest.fixture(scope="module")
def benchmark_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("benchmark")
    results_dir = base / "results"
    completed = subprocess.run(
        [
            sys.executable, str(SCRIPT), "--scale", "0.001", "--pandas-scale", "1",
            "--data-dir", str(base / "data"), "--results-dir", str(results_dir),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-6000:]
    return results_dir, completed.stdout


@pytest.fixture(scope="module")
def results(benchmark_run: tuple[Path, str]) -> dict[str, Any]:
    results_dir, _output = benchmark_run
    loaded: dict[str, Any] = json.loads((results_dir / "results.json").read_text())
    return loaded


def test_every_step_is_measured(results: dict[str, Any]) -> None:
    steps = results["steps"]
    for key in ("dbt_full", "plain_duckdb", "pandas", "dbt_incremental",
                "plain_duckdb_all_days"):
        assert key in steps, f"step {key} missing: {sorted(steps)}"
        assert STEP_FIELDS <= set(steps[key]), key
        assert steps[key]["returncode"] == 0
        assert steps[key]["wall_seconds"] > 0
        assert steps[key]["peak_rss_bytes"] > 0
        assert steps[key]["input_lines"] > 0
    for key in ("dbt_full", "dbt_incremental"):
        assert DBT_STEP_FIELDS <= set(steps[key]), key
        assert steps[key]["slowest_models"], key
        assert steps[key]["test_failures"] == []
    # The incremental build reads only the added day.
    assert steps["dbt_incremental"]["input_lines"] < steps["dbt_full"]["input_lines"]


def test_the_three_implementations_agree(results: dict[str, Any]) -> None:
    agreement = results["agreement"]
    assert agreement["ok"], json.dumps(agreement["checks"], indent=2)
    names = {check["name"] for check in agreement["checks"]}
    assert any("plain DuckDB" in name and "full" in name for name in names), names
    assert any("pandas" in name for name in names), names
    assert any("incremental" in name for name in names), names
    counts = results["counts"]
    totals = {name: counts[name]["totals"] for name in ("dbt_full", "plain_duckdb", "pandas")}
    assert totals["dbt_full"]["events"] > 0
    assert totals["dbt_full"]["matched"] > 0
    assert totals["dbt_full"] == totals["plain_duckdb"] == totals["pandas"]
    for name in ("dbt_full", "plain_duckdb", "pandas"):
        assert set(counts[name]["by_type"]) == {
            "ecBasketTransactionSummary", "trPackageTransactionSummary",
            "fiBasketTransactionSummary",
        }


def test_ratios_targets_and_machine_facts(results: dict[str, Any]) -> None:
    for ratio in ("full_over_plain", "incremental_over_full",
                  "pandas_over_dbt_full_at_pandas_scale"):
        assert results["ratios"][ratio] is not None, ratio
    assert {target["name"] for target in results["targets"]} == {
        "full build / plain DuckDB", "incremental (+1 day) / full build",
        "peak memory of the dbt builds",
    }
    assert all(isinstance(target["pass"], bool) for target in results["targets"])
    assert results["machine"]["cores"] >= 1
    assert results["machine"]["memory_bytes"] > 0
    for package in ("dbt-core", "dbt-duckdb", "duckdb", "pandas"):
        assert results["versions"][package]
    assert results["options"]["scale"] == 0.001
    assert results["failed"] is None
    assert "noisy" in results["noise"]


def test_readme_and_printed_table(benchmark_run: tuple[Path, str]) -> None:
    results_dir, output = benchmark_run
    readme = (results_dir / "README.md").read_text()
    for text in ("| step |", "| ratio |", "dbt build --full-refresh", "plain DuckDB script",
                 "pandas script", "incremental", "Machine:", "Versions:", "Scale:"):
        assert text in readme, text
    assert "agree" in output
    assert "full / plain DuckDB" in output
