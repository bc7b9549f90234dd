"""Fixtures for the end-to-end tests: run dbt on a landing folder, read the marts.

dbt runs as a subprocess from the project root, exactly as the contract's
section 4 says a user runs it, each build into its own warehouse so builds
never share state, on the engine that CALL_TRACKING_ENGINE names (default
DuckDB; see engines/). dbt's target/ and logs/ go to a temporary folder so the
tests do not disturb a developer's own runs.

The warehouse is read back by relation name in any schema (contract section
3), never by the project's internal schema names.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_LANDING = PROJECT_ROOT / "data" / "sample_landing"
GENERATOR = PROJECT_ROOT / "scripts" / "generate_landing.py"
# The dbt installed alongside the interpreter running pytest (the venv's).
DBT = Path(sys.executable).parent / "dbt"
# Generous: a Spark build of the sample with its unit tests took 6 minutes on
# a busy 2-core machine; the limit is there to end a hung build.
DBT_TIMEOUT_SECONDS = 1200

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference  # noqa: E402  (needs the path above)
from engines import Engine, Warehouse, load_engine, selected_engine_name  # noqa: E402

# The engine (and dbt target) of this pytest run: CALL_TRACKING_ENGINE.
ENGINE = load_engine(selected_engine_name())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: builds on generated data (deselect with -m 'not slow')"
    )
    config.addinivalue_line(
        "markers",
        "duckdb_only: tests of DuckDB-only tools (docs, report, semantic layer, "
        "benchmark, generator); skipped when CALL_TRACKING_ENGINE is another engine",
    )


# Every relation an analyst reads, with the columns that say when a row was
# loaded left out of comparisons: those are run times, not data.
ANALYST_RELATIONS: dict[str, list[str]] = {
    "ec_basket_transaction_summary": [],
    "tr_package_transaction_summary": [],
    "fi_basket_transaction_summary": [],
    "call_match_rates": [],
    "call_events_rejected": ["loaded_at"],
    "call_events_duplicated": [],
    "view_events_rejected": ["loaded_at"],
    "call_events_unmatched": [],
    "call_unmatched_reasons_daily": [],
    "call_sessions": [],
    "call_conversions_daily": [],
}


@dataclass(frozen=True)
class DbtRun:
    """One finished `dbt build` and where its warehouse is kept."""

    returncode: int
    output: str
    location: Path
    landing_dir: Path
    engine: Engine

    def warehouse(self) -> Warehouse:
        return self.engine.warehouse(self.location)

    @property
    def db_path(self) -> Path:
        """The DuckDB file (DuckDB-only tests: docs, report, semantic layer)."""
        if self.engine.name != "duckdb":
            pytest.skip(f"needs the DuckDB file; engine is {self.engine.name}")
        return self.engine.db_path(self.location)  # type: ignore[attr-defined]

    def check(self) -> None:
        """Fail with dbt's own output when the build did not exit 0."""
        if self.returncode != 0:
            tail = "\n".join(self.output.splitlines()[-60:])
            pytest.fail(
                f"dbt build on {self.landing_dir} exited {self.returncode}:\n{tail}"
            )


@dataclass(frozen=True)
class BuiltCase:
    """A landing folder, its warehouse, and what the reference says it holds."""

    name: str
    landing_dir: Path
    warehouse: Warehouse
    expected: reference.Result
    output: str = ""


def dbt_build_command(
    landing_dir: Path,
    location: Path,
    dbt_dirs: Path,
    *,
    full_refresh: bool,
    unit_tests: bool = False,
    variables: dict[str, Any] | None = None,
    engine: Engine = ENGINE,
) -> tuple[list[str], dict[str, str]]:
    """The `dbt build` command line and environment of run_dbt."""
    if not DBT.exists():
        pytest.fail(f"dbt not found next to the interpreter: {DBT}")
    dbt_vars = {
        **engine.variables(location), "landing_dir": str(landing_dir), **(variables or {})
    }
    engine_env = engine.prepare(location, landing_dir)
    command = [
        str(DBT), "build", "--target", engine.target, "--vars", json.dumps(dbt_vars)
    ]
    if full_refresh:
        command.append("--full-refresh")
    if not unit_tests:
        command += ["--exclude", "resource_type:unit_test"]
    env = {
        **os.environ,
        **engine_env,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_TARGET_PATH": str(dbt_dirs / "target"),
        "DBT_LOG_PATH": str(dbt_dirs / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return command, env


def run_dbt(
    landing_dir: Path,
    location: Path,
    dbt_dirs: Path,
    *,
    full_refresh: bool = True,
    unit_tests: bool = False,
    variables: dict[str, Any] | None = None,
    engine: Engine = ENGINE,
) -> DbtRun:
    """`dbt build [--full-refresh] --vars '{landing_dir: ...}'` from the root.

    dbt unit tests use fixed inputs, never the landing folder, and take most
    of a build's time; they run in one build (the sample's) and are left out
    of the others, which still run every model and data test.

    `location` is a folder of the test's that keeps the engine's warehouse:
    a new folder means a new, empty warehouse.
    """
    command, env = dbt_build_command(
        landing_dir, location, dbt_dirs, full_refresh=full_refresh,
        unit_tests=unit_tests, variables=variables, engine=engine,
    )
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=DBT_TIMEOUT_SECONDS,
        check=False,
    )
    return DbtRun(completed.returncode, completed.stdout, location, landing_dir, engine)


@pytest.fixture(scope="session")
def dbt_dirs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One target/ + logs/ for the session: partial parsing is reused."""
    return tmp_path_factory.mktemp("dbt")


@pytest.fixture(scope="session")
def build(
    tmp_path_factory: pytest.TempPathFactory, dbt_dirs: Path
) -> Callable[..., DbtRun]:
    """build(landing_dir, db_name=None, full_refresh=True, unit_tests=False,
    variables=None): variables are more dbt --vars besides landing_dir."""

    def _build(
        landing_dir: Path,
        db_name: str | None = None,
        *,
        full_refresh: bool = True,
        unit_tests: bool = False,
        variables: dict[str, Any] | None = None,
    ) -> DbtRun:
        if db_name is None:
            location = tmp_path_factory.mktemp("warehouse")
        else:
            location = tmp_path_factory.getbasetemp() / f"warehouse_{db_name}"
        return run_dbt(
            landing_dir,
            location,
            dbt_dirs,
            full_refresh=full_refresh,
            unit_tests=unit_tests,
            variables=variables,
        )

    return _build


def built_case(name: str, landing_dir: Path, run: DbtRun) -> BuiltCase:
    run.check()
    return BuiltCase(
        name, landing_dir, run.warehouse(), reference.build(str(landing_dir)), run.output
    )


@pytest.fixture(scope="session")
def sample_case(build: Callable[..., DbtRun]) -> BuiltCase:
    """Full refresh over the hand-written sample landing folder: the one
    complete `dbt build`, unit tests included, exactly as a user runs it.
    It is each engine's check that the sample passes every dbt test
    (test_sample_build_ran_every_dbt_test); make builds it nowhere else."""
    # CALL_TRACKING_UNIT_TESTS_DONE=1: the caller ran the dbt unit tests
    # already (make test-spark does, in its own build of the sample).
    unit_tests = os.environ.get("CALL_TRACKING_UNIT_TESTS_DONE") != "1"
    return built_case(
        "sample", SAMPLE_LANDING, build(SAMPLE_LANDING, unit_tests=unit_tests)
    )


GENERATOR_ARGS = [
    "--days", "3", "--properties", "2", "--views", "5000", "--calls", "800",
    "--seed", "7",
]


GENERATED_DROPS = 3

# CALL_TRACKING_BUILDS_DIR (.ci/run sets it): the generated landing folder
# and each engine's build of it are kept there, so that the engines
# comparison (test_engines_agree.py), run later in another pytest process,
# compares those builds instead of making the same three builds again.
BUILDS_DIR_VARIABLE = "CALL_TRACKING_BUILDS_DIR"
BUILD_DONE_FILE = "build_passed"


def kept_builds_dir() -> Path | None:
    folder = os.environ.get(BUILDS_DIR_VARIABLE)
    return Path(folder).resolve() if folder else None


def kept_build_location(engine_name: str) -> Path | None:
    """Where the generated landing's build on that engine is kept, if anywhere."""
    folder = kept_builds_dir()
    return folder / f"generated_{engine_name}" if folder else None


def generate(out_dir: Path, *extra_args: str) -> None:
    """Run scripts/generate_landing.py (skip the test if it is absent)."""
    if not GENERATOR.exists():
        pytest.skip(f"{GENERATOR.relative_to(PROJECT_ROOT)} does not exist yet")
    completed = subprocess.run(
        [sys.executable, str(GENERATOR), str(out_dir), *GENERATOR_ARGS, *extra_args],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        pytest.fail(f"generate_landing.py failed:\n{completed.stdout[-4000:]}")


@pytest.fixture(scope="session")
def generated_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One landing folder from the generator (made once per kept-builds
    folder when CALL_TRACKING_BUILDS_DIR is set)."""
    kept = kept_builds_dir()
    if kept is None:
        out_dir = tmp_path_factory.mktemp("generated") / "landing"
        generate(out_dir, "--quiet")
        return out_dir
    out_dir = kept / "generated_landing"
    if not (out_dir / ".complete").exists():
        shutil.rmtree(out_dir, ignore_errors=True)
        generate(out_dir, "--quiet")
        (out_dir / ".complete").touch()
    return out_dir


@pytest.fixture(scope="session")
def generated_drops(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The same kind of data split into drops (consecutive days) that land
    one after another, with a larger share of late views to exercise rule 6."""
    out_dir = tmp_path_factory.mktemp("generated_drops") / "drops"
    generate(
        out_dir, "--drops", str(GENERATED_DROPS), "--late-view-share", "0.2", "--quiet"
    )
    drops = sorted(out_dir.glob("drop_*"))
    assert len(drops) == GENERATED_DROPS, f"expected {GENERATED_DROPS} drops: {drops}"
    return drops


@pytest.fixture(scope="session")
def generated_case(
    build: Callable[..., DbtRun], generated_landing: Path, dbt_dirs: Path
) -> BuiltCase:
    location = kept_build_location(ENGINE.name)
    if location is None:
        return built_case("generated", generated_landing, build(generated_landing))
    shutil.rmtree(location, ignore_errors=True)  # a new, empty warehouse
    run = run_dbt(generated_landing, location, dbt_dirs)
    case = built_case("generated", generated_landing, run)
    (location / BUILD_DONE_FILE).touch()
    return case


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Builds on generated data are slow (marked here: the marker is only
    registered once pytest_configure has run, after this module's import).
    DuckDB-only tests are skipped on the other engines."""
    skip_other_engine = pytest.mark.skip(reason=f"DuckDB only; engine is {ENGINE.name}")
    for item in items:
        if ENGINE.name != "duckdb" and item.get_closest_marker("duckdb_only"):
            item.add_marker(skip_other_engine)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("case") == "generated":
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", params=["sample", "generated"])
def case(request: pytest.FixtureRequest) -> Iterator[BuiltCase]:
    """Each landing folder the end-to-end comparisons run on."""
    yield request.getfixturevalue(f"{request.param}_case")


@pytest.fixture
def landing_copy(tmp_path: Path) -> Callable[[list[str]], Path]:
    """A fresh landing folder holding only the given sample files."""
    root = tmp_path / "landing"

    def _copy(relative_paths: list[str]) -> Path:
        for relative in relative_paths:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(SAMPLE_LANDING / relative, target)
        root.mkdir(exist_ok=True)
        return root

    return _copy
