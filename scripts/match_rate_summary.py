"""Print a match-rate summary of the warehouse, per property and vendor.

Reads call_match_rates (and the reject and duplicate counts) from the DuckDB
file dbt built. Usage:

    python scripts/match_rate_summary.py [--days N]

--days limits the summary to the last N days of call events present.
"""

from __future__ import annotations

import argparse

from warehouse import connect, database_path, find_relation

SUMMARY_SQL = """
with recent as (
    select *
    from {match_rates}
    where ? is null
        or event_date > (select max(event_date) from {match_rates}) - ?
)
select
    tracking_id,
    vendor,
    min(event_date) as first_day,
    max(event_date) as last_day,
    cast(sum(events) as bigint) as events,
    cast(sum(offline_events) as bigint) as offline,
    cast(sum(online_events) as bigint) as online,
    cast(sum(matched_events) as bigint) as matched,
    round(100.0 * sum(matched_events) / nullif(sum(events), 0), 1)
        as match_pct,
    round(100.0 * sum(matched_events) / nullif(sum(online_events), 0), 1)
        as online_match_pct
from recent
group by tracking_id, vendor
order by tracking_id, vendor
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--days",
        type=int,
        default=None,
        help="only the last N days of call events (default: all)",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    path = database_path()
    connection = connect(path)
    match_rates = find_relation(connection, "call_match_rates")
    if match_rates is None:
        raise SystemExit(f"error: no call_match_rates in {path}; run dbt build")

    summary = connection.execute(
        SUMMARY_SQL.format(match_rates=match_rates), [args.days, args.days]
    ).df()
    print(f"Match rates from {path}")
    if summary.empty:
        print("  no call events (is the landing folder empty?)")
    else:
        print(summary.to_string(index=False))

    for name, label in [
        ("call_events_rejected", "rejected lines/events"),
        ("call_events_duplicated", "duplicate events"),
        ("view_events_rejected", "unusable view lines"),
    ]:
        relation = find_relation(connection, name)
        if relation is not None:
            count = connection.execute(
                f"select count(*) from {relation}"
            ).fetchone()[0]
            print(f"{label}: {count}")


if __name__ == "__main__":
    main()
