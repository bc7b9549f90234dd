"""The daily counts the benchmark compares between dbt and its comparison scripts.

One row per UTC event date, tracking id, vendor and event type (as
call_match_rates): events, offline, online and matched events. The benchmark
driver, the plain DuckDB script (scripts/plain_duckdb.py) and the pandas
script each turn theirs into the same dict with counts_from_daily; the two
scripts share their command line (counts_main).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EVENT_TYPES = (
    "ecBasketTransactionSummary",
    "trPackageTransactionSummary",
    "fiBasketTransactionSummary",
)

# One row of the daily table: (event_date, tracking_id, vendor, event_type,
# events, offline_events, online_events, matched_events).
DailyRow = tuple[str, str, str, str, int, int, int, int]

COUNT_KEYS = ("events", "offline", "online", "matched")


def safe_ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def counts_from_daily(daily: list[DailyRow], **extra: Any) -> dict[str, Any]:
    """Per-type and overall counts and rates, from the daily table."""
    by_type: dict[str, dict[str, int]] = {
        event_type: dict.fromkeys(COUNT_KEYS, 0) for event_type in EVENT_TYPES
    }
    for _date, _tracking_id, _vendor, event_type, events, offline, online, matched in daily:
        counts = by_type.setdefault(event_type, dict.fromkeys(COUNT_KEYS, 0))
        counts["events"] += events
        counts["offline"] += offline
        counts["online"] += online
        counts["matched"] += matched
    totals = {key: sum(counts[key] for counts in by_type.values()) for key in COUNT_KEYS}
    for counts in (*by_type.values(), totals):
        counts_any: dict[str, Any] = counts
        counts_any["match_rate"] = safe_ratio(counts["matched"], counts["events"])
        counts_any["online_match_rate"] = safe_ratio(counts["matched"], counts["online"])
    return {
        "by_type": by_type,
        "totals": totals,
        "daily": sorted(list(row) for row in daily),
        **extra,
    }


def counts_main(
    argv: Sequence[str] | None,
    *,
    prog: str,
    description: str | None,
    run: Callable[[Path], dict[str, Any]],
    label: str,
) -> int:
    """The command line of a comparison script: LANDING_DIR [--out FILE]."""
    parser = argparse.ArgumentParser(
        prog=prog, description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("landing_dir", type=Path, metavar="LANDING_DIR",
                        help="the landing folder (responsetap/, infinity/, views/)")
    parser.add_argument("--out", type=Path,
                        help="write the counts as JSON here (default: print them)")
    args = parser.parse_args(argv)
    if not args.landing_dir.is_dir():
        print(f"landing_dir '{args.landing_dir}' is not a folder", file=sys.stderr)
        return 2
    counts = run(args.landing_dir)
    text = json.dumps(counts, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    else:
        print(text)
    totals = counts["totals"]
    print(f"{label}: {totals['events']:,} kept events, {totals['matched']:,} matched, "
          f"in {counts['engine_seconds']:.2f}s", file=sys.stderr)
    return 0
