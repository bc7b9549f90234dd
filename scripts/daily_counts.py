"""The daily counts the benchmark compares between dbt and its comparison scripts.

One row per UTC event date, tracking id, vendor and event type (as
call_match_rates): events, offline, online and matched events. The benchmark
driver, the plain DuckDB script (scripts/plain_duckdb.py) and the pandas
script each turn theirs into the same dict with counts_from_daily.
"""

from __future__ import annotations

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
