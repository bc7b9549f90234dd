"""DuckDB, PostgreSQL and Spark give the same marts on the same landing data.

One generated landing folder (the suite's usual generator arguments, with
late views, retries and rejects) is built with --full-refresh on each engine
named in CALL_TRACKING_COMPARE_ENGINES (comma-separated, e.g.
`duckdb,postgres,spark`; `make test-engines` sets it), then every relation an
analyst reads is compared row for row between each engine and the first.
With CALL_TRACKING_BUILDS_DIR set (.ci/run), the builds that each engine's
own suite made of that folder are compared rather than built again.

Values are compared in a canonical text form, since each engine's driver
gives its own Python types (Decimal or float, aware or naive datetimes).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    ANALYST_RELATIONS,
    BUILD_DONE_FILE,
    DbtRun,
    kept_build_location,
    run_dbt,
)
from engines import ENGINES, Warehouse, load_engine

COMPARE_VARIABLE = "CALL_TRACKING_COMPARE_ENGINES"
RELATIONS = ANALYST_RELATIONS


def compared_engines() -> list[str]:
    names = [name.strip() for name in os.environ.get(COMPARE_VARIABLE, "").split(",")]
    return [name for name in names if name]


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        len(compared_engines()) < 2,
        reason=f"set {COMPARE_VARIABLE} to two or more of {', '.join(ENGINES)}",
    ),
]


def canonical(value: object) -> str | None:
    """One text per value whatever the driver: 1.5 == Decimal('1.5000')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal | float):
        number = float(value)
        return f"{number:.12g}"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars from some drivers
        return canonical(value.item())  # type: ignore[attr-defined]
    return str(value)


def canonical_table(warehouse: Warehouse, name: str, ignored: list[str]) -> pd.DataFrame:
    frame = warehouse.table(name)
    frame = frame.drop(columns=ignored)
    frame = frame[sorted(frame.columns)].map(canonical)
    return frame.sort_values(list(frame.columns), na_position="first").reset_index(
        drop=True
    )


@pytest.fixture(scope="module")
def engine_builds(
    generated_landing: Path,
    dbt_dirs: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, DbtRun]:
    builds = {}
    for name in compared_engines():
        engine = load_engine(name)
        kept = kept_build_location(name)
        if kept is not None and (kept / BUILD_DONE_FILE).exists():
            # This engine's own suite built the same folder (and it passed).
            builds[name] = DbtRun(0, "", kept, generated_landing, engine)
            continue
        reason = engine.skip_reason()
        if reason is not None:
            pytest.fail(f"{COMPARE_VARIABLE} names {name}, which cannot run: {reason}")
        run = run_dbt(
            generated_landing,
            tmp_path_factory.mktemp(f"agree_{name}"),
            dbt_dirs,
            engine=engine,
        )
        run.check()
        builds[name] = run
    return builds


@pytest.mark.parametrize("relation", sorted(RELATIONS))
def test_engines_give_the_same_relation(
    engine_builds: dict[str, DbtRun], relation: str
) -> None:
    (first, first_run), *others = engine_builds.items()
    expected = canonical_table(first_run.warehouse(), relation, RELATIONS[relation])
    assert len(expected) > 0, (
        f"{relation} is empty on {first}: the comparison would prove nothing"
    )
    for name, run in others:
        actual = canonical_table(run.warehouse(), relation, RELATIONS[relation])
        assert list(actual.columns) == list(expected.columns), f"{relation}: {name} vs {first}"
        pd.testing.assert_frame_equal(
            actual, expected, check_dtype=False, obj=f"{relation}: {name} vs {first}"
        )


def test_comparison_can_fail(engine_builds: dict[str, DbtRun]) -> None:
    """The canonical form still tells different values apart."""
    run = next(iter(engine_builds.values()))
    frame = canonical_table(run.warehouse(), "call_match_rates", [])
    changed = frame.copy()
    changed.loc[0, "matched_events"] = str(int(changed.loc[0, "matched_events"]) + 1)
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(changed, frame)

