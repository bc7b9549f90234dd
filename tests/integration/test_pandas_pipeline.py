"""scripts/pandas_pipeline.py (the benchmark's pandas script) against reference.py.

The pandas script returns only the benchmark's daily counts (no relations):
per UTC event date, tracking id, vendor and event type, the events,
offline, online and matched events must be exactly those of reference.py's
call_match_rates, on the sample landing folder, a small generated one and a folder of odd
files (unreadable gzip, CR, BOM, NUL, bytes that are not UTF-8).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
import reference
from conftest import PROJECT_ROOT, SAMPLE_LANDING
from test_plain_duckdb import write_odd_landing

pytestmark = pytest.mark.duckdb_only

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
pandas_pipeline = importlib.import_module("pandas_pipeline")


def expected_daily(landing: Path) -> list[list[object]]:
    return sorted(
        [
            row["event_date"].isoformat(), row["tracking_id"], row["vendor"],
            row["event_type"], row["events"], row["offline_events"],
            row["online_events"], row["matched_events"],
        ]
        for row in reference.build(str(landing)).call_match_rates
    )


@pytest.mark.parametrize("case", ["sample", "generated", "odd_files"])
def test_daily_counts_match_reference(
    case: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if case == "sample":
        landing = SAMPLE_LANDING
    elif case == "generated":
        landing = request.getfixturevalue("generated_landing")
    else:
        landing = write_odd_landing(tmp_path / "landing")
    counts = pandas_pipeline.run(landing)
    assert counts["daily"] == expected_daily(landing)
    assert counts["totals"]["events"] == sum(row[4] for row in expected_daily(landing))
