"""Configuration is data (issue 16): every var is checked before anything is
built, and a value reaches SQL only as a quoted literal.

Each bad value below came from a real run that exited 0 with wrong marts (or
ran SQL of its own); now it stops the build at once with a message naming
the var, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import reference
from conftest import ENGINE, SAMPLE_LANDING, DbtRun

# (vars, the var the message must name)
BAD_VARS: list[tuple[dict[str, Any], str]] = [
    ({"landing_dri": "/data/landing"}, "unknown var landing_dri"),
    ({"landing_dir": ""}, "var landing_dir"),
    ({"landing_dir": ["a", "b"]}, "var landing_dir"),
    ({"offline_id_prefixes": "gbr0"}, "var offline_id_prefixes"),
    ({"offline_id_prefixes": [""]}, "var offline_id_prefixes"),
    ({"offline_id_prefixes": ["gbr0", 7]}, "var offline_id_prefixes"),
    ({"match_window_minutes": "thirty"}, "var match_window_minutes"),
    ({"match_window_minutes": 30.9}, "var match_window_minutes"),
    ({"match_window_minutes": -5}, "var match_window_minutes"),
    ({"match_window_minutes": True}, "var match_window_minutes"),
    ({"rematch_lookback_days": -1}, "var rematch_lookback_days"),
    ({"rematch_lookback_days": "abc"}, "var rematch_lookback_days"),
    ({"min_expected_match_rate": 1.5}, "var min_expected_match_rate"),
    ({"min_expected_match_rate": "high"}, "var min_expected_match_rate"),
    ({"min_online_calls_for_match_rate": 0}, "var min_online_calls_for_match_rate"),
]


def built_nothing(run: DbtRun) -> bool:
    """No model ran: the check stopped the build before the first one."""
    return not any(
        "START" in line and " model " in line for line in run.output.splitlines()
    )


@pytest.mark.parametrize(
    ("variables", "named"), BAD_VARS, ids=[str(v) for v, _ in BAD_VARS]
)
def test_bad_var_stops_the_build_naming_it(
    build: Callable[..., DbtRun], variables: dict[str, Any], named: str
) -> None:
    if ENGINE.name == "spark" and (variables, named) not in BAD_VARS[:3]:
        # check_vars is Jinja, the same on every engine; each Spark build
        # starts a JVM, so Spark runs the first cases only (CI time).
        pytest.skip("engine-independent check: the first cases run on Spark")
    run = build(SAMPLE_LANDING, variables=variables)
    assert run.returncode != 0, run.output[-3000:]
    assert named in run.output, run.output[-3000:]
    assert built_nothing(run), run.output[-3000:]


HOSTILE_PREFIXES = [
    "gbr0",
    "clarity",
    "o'neil",
    "x' or true or '",
    "x') or true; create table pwned as select 1; --",
]


def test_hostile_offline_prefixes_are_literal_text(
    build: Callable[..., DbtRun],
) -> None:
    """Prefixes holding quotes or SQL only add prefixes no id starts with:
    the same calls are offline as with the defaults, and no SQL ran."""
    run = build(SAMPLE_LANDING, variables={"offline_id_prefixes": HOSTILE_PREFIXES})
    run.check()
    warehouse = run.warehouse()
    expected = reference.build(str(SAMPLE_LANDING))
    for mart in reference.MARTS:
        built = int(warehouse.table(mart, ["is_offline"])["is_offline"].sum())
        assert built == sum(row["is_offline"] for row in expected.marts[mart]), mart
    assert warehouse.relation("pwned") is None


def test_changed_settings_stop_an_incremental_build(
    build: Callable[..., DbtRun], landing_copy: Callable[[list[str]], Path]
) -> None:
    """The warehouse remembers what it was built from: an incremental build
    with another match window or landing folder stops before anything is
    written, saying what changed; --full-refresh takes the new values."""
    other_landing = landing_copy([])
    (other_landing / "views").mkdir()
    run = build(SAMPLE_LANDING, "settings")
    run.check()
    for variables, change in [
        ({"match_window_minutes": 120}, "match_window_minutes was 30, now 120"),
        ({"rematch_lookback_days": 1}, "rematch_lookback_days was 3, now 1"),
        ({"offline_id_prefixes": ["gbr0"]}, "offline_id_prefixes was"),
    ]:
        changed = build(
            SAMPLE_LANDING, "settings", full_refresh=False, variables=variables
        )
        assert changed.returncode != 0, changed.output[-3000:]
        assert change in changed.output, changed.output[-3000:]
        assert "--full-refresh" in changed.output
        assert built_nothing(changed), changed.output[-3000:]
    # The same prefixes in another case and order are the same setting.
    same = build(
        SAMPLE_LANDING,
        "settings",
        full_refresh=False,
        variables={"offline_id_prefixes": ["CLARITY", "gbr0"]},
    )
    same.check()
    window = {"match_window_minutes": 120}
    build(SAMPLE_LANDING, "settings", variables=window).check()
    build(SAMPLE_LANDING, "settings", full_refresh=False, variables=window).check()
    if ENGINE.name != "postgres":  # PostgreSQL reads what its loader copied
        moved = build(other_landing, "settings", full_refresh=False, variables=window)
        assert moved.returncode != 0, moved.output[-3000:]
        assert "landing_dir was" in moved.output, moved.output[-3000:]


@pytest.mark.skipif(
    ENGINE.name != "duckdb",
    reason="PostgreSQL builds what its loader copied; Spark's cluster reads the path",
)
@pytest.mark.parametrize("level", ["one level too high", "no vendor folder"])
def test_landing_dir_without_vendor_folders_is_an_error(
    build: Callable[..., DbtRun], tmp_path: Path, level: str
) -> None:
    """No silently empty build: a folder holding none of responsetap/,
    infinity/, views/ stops the build, naming the folder."""
    parent = tmp_path / "landing_root"
    (parent / "landing" / "views").mkdir(parents=True)
    landing = parent if level == "one level too high" else parent / "landing" / "views"
    run = build(landing)
    assert run.returncode != 0, run.output[-3000:]
    assert f'landing_dir "{landing}"' in run.output, run.output[-3000:]
    assert "none of responsetap/, infinity/, views/" in run.output
    assert built_nothing(run), run.output[-3000:]


def test_match_rate_band_counts_only_days_with_enough_calls(
    build: Callable[..., DbtRun],
) -> None:
    """The band warns on property-days with at least
    min_online_calls_for_match_rate online calls, keeps the failing rows and
    says which days: the sample's 2000-01-01 (1 call) is no outage."""
    band = "assert_match_rates_within_expected_band"
    every_day = build(SAMPLE_LANDING, variables={"min_online_calls_for_match_rate": 1})
    every_day.check()
    assert "2000-01-01 acme_uk: 0 of 1 online calls matched" in every_day.output
    default = build(SAMPLE_LANDING)
    default.check()
    stored = default.warehouse().table(band)
    assert len(stored) > 0 and (stored["online_events"] >= 10).all(), stored
    assert "2000-01-01" not in default.output
    assert "2026-11-20 acme_uk: 7 of 31 online calls matched" in default.output
