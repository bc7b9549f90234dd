"""Configuration is data (issue 16): every var is checked before anything is
built, and a value reaches SQL only as a quoted literal.

Each bad value below came from a real run that exited 0 with wrong marts (or
ran SQL of its own); now it stops the build at once with a message naming
the var, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import reference
from conftest import SAMPLE_LANDING, DbtRun

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
