#!/usr/bin/env python3
"""The call-tracking contract as a straightforward pandas script (no dbt, no SQL).

The benchmark's other yardstick: what an analyst might write. Every line is
parsed with json.loads, the checks of the reject table run per event, then
DataFrames carry rule 4 (the first received of each key is kept) and
merge_asof rule 5 (ties on the higher viewNumber, the window inclusive).
It returns the daily counts the benchmark compares (scripts/daily_counts.py)
and keeps no quarantine: rejected events are only not counted.
tests/integration/test_pandas_pipeline.py checks its counts against
tests/integration/reference.py.

Known differences from the contract, accepted for a comparison script:
times and totals go through doubles, so a fractional time's microsecond
rounding may differ from the exact reading.

Usage:
    .venv/bin/python scripts/pandas_pipeline.py LANDING_DIR [--out counts.json]
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daily_counts import EVENT_TYPES, DailyRow, counts_from_daily, counts_main  # noqa: E402
from landing_reader import list_files, read_whole, split_lines  # noqa: E402

VENDORS = ("responsetap", "infinity")
VIEWS_FOLDER = "views"
# The project's defaults (dbt_project.yml vars).
OFFLINE_PREFIXES = ("gbr0", "clarity")
MATCH_WINDOW_MINUTES = 30

NUMERIC_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# received_at: ISO-8601 as a whole (README), no offset is UTC.
ISO_8601 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?"
)
CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def read_landing_lines(landing_dir: Path, folder: str) -> Iterator[tuple[str, int, str]]:
    """(source file, line number, text) of every line of a folder's readable files."""
    for path, source_file in list_files(str(landing_dir), folder):
        try:
            data = read_whole(str(landing_dir), path)
        except (OSError, ValueError):
            continue
        for number, raw in enumerate(split_lines(data), start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue  # not UTF-8: an invalid line, never counted
            yield source_file, number, text


def not_json(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON does not.
    raise ValueError(f"not JSON: {name}")


def loads_or_none(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=not_json)
    except ValueError:
        return None


def get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def as_id(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def as_number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and NUMERIC_TEXT.match(value):
        return float(value)
    return None


def parse_total(total: Any) -> tuple[bool, str | None, str | None]:
    """(valid, value rounded to 4 places as text, upper-case currency)."""
    if total is None:
        return True, None, None
    value, currency = get(total, "value"), get(total, "currency")
    if as_number(value) is None or not isinstance(currency, str) or not CURRENCY.match(currency):
        return False, None, None
    try:
        rounded = Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return False, None, None
    if abs(rounded) >= Decimal(10) ** 14:
        return False, None, None
    return True, str(rounded), currency.upper()


def call_rows(landing_dir: Path) -> list[dict[str, Any]]:
    """One dict per event of every valid request, with the raw fields."""
    rows: list[dict[str, Any]] = []
    for vendor in VENDORS:
        for source_file, line_number, text in read_landing_lines(landing_dir, vendor):
            request = loads_or_none(text)
            if not isinstance(request, dict):
                continue
            tracking_id = request.get("tracking_id")
            received_at = request.get("received_at")
            body = request.get("body")
            if not isinstance(tracking_id, str) or not tracking_id or body is None:
                continue
            if not isinstance(received_at, str) or not ISO_8601.fullmatch(received_at):
                continue
            if isinstance(body, str):
                body = loads_or_none(body)
            events = get(body, "events")
            if not isinstance(events, list):
                continue
            for position, event in enumerate(events):
                if not isinstance(event, dict):
                    continue
                raw_type = get(event, "meta", "type")
                event_type = raw_type.rsplit(".", 1)[-1] if isinstance(raw_type, str) else None
                parent = "package" if event_type == "trPackageTransactionSummary" else "basket"
                total_ok, total_value, total_currency = parse_total(get(event, parent, "total"))
                url = get(event, "meta", "url")
                rows.append({
                    "vendor": vendor,
                    "source_file": source_file,
                    "line_number": line_number,
                    "position": position,
                    "tracking_id": tracking_id,
                    "received_at_text": received_at,
                    "context_id": as_id(get(event, "context", "id")),
                    "event_type": event_type,
                    "ts_value": as_number(get(event, "meta", "ts")),
                    "event_url": url if isinstance(url, str) else None,
                    "transaction_id": as_id(get(event, "transaction", "id")),
                    "total_ok": total_ok,
                    "total_value": total_value,
                    "total_currency": total_currency,
                })
    return rows


def view_rows(landing_dir: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for _source_file, _line_number, text in read_landing_lines(landing_dir, VIEWS_FOLDER):
        view = loads_or_none(text)
        if not isinstance(view, dict):
            continue
        tracking_id = get(view, "meta", "trackingId")
        view_number = as_number(get(view, "context", "viewNumber"))
        rows.append({
            "tracking_id": tracking_id if isinstance(tracking_id, str) and tracking_id else None,
            "context_id": as_id(get(view, "context", "id")),
            "view_number": view_number,
            "ts_value": as_number(get(view, "meta", "ts")),
        })
    return rows


def epoch_values_to_timestamps(values: Any) -> Any:
    """Rule 1 on a float Series: ms from 1e11 up, else seconds; NaT if absurd."""
    import numpy as np
    import pandas as pd

    micros = np.where(values >= 1e11, values * 1000.0, values * 1e6)
    micros = np.where(np.abs(micros) < 2.5e17, np.round(micros), np.nan)
    return pd.to_datetime(pd.Series(micros, index=values.index), unit="us")


def run(landing_dir: Path) -> dict[str, Any]:
    """What an analyst might write: parse with json, then pandas all the way."""
    import pandas as pd

    started = time.perf_counter()
    calls = pd.DataFrame(call_rows(landing_dir))
    views = pd.DataFrame(view_rows(landing_dir))
    parsed_seconds = time.perf_counter() - started
    if calls.empty:
        return counts_from_daily([], engine_seconds=time.perf_counter() - started)

    # Checks of the reject table that are easier on columns.
    calls["received_at"] = pd.to_datetime(
        calls["received_at_text"], utc=True, errors="coerce", format="ISO8601"
    ).dt.tz_localize(None)
    calls = calls[calls["received_at"].notna()].copy()
    calls["event_ts"] = epoch_values_to_timestamps(calls["ts_value"].astype("float64"))
    valid = (
        calls["context_id"].notna()
        & calls["event_type"].isin(EVENT_TYPES)
        & calls["event_ts"].notna()
        & (calls["event_ts"] >= pd.Timestamp("2000-01-01"))
        & (calls["event_ts"] <= calls["received_at"] + pd.Timedelta(days=1))
        & calls["total_ok"]
    )
    events = calls[valid].copy()
    lowered = events["context_id"].str.lower()
    events["is_offline"] = (events["vendor"] == "responsetap") & lowered.str.startswith(
        OFFLINE_PREFIXES
    )

    # Rule 4: the first received of each key is kept.
    no_transaction = events["transaction_id"].isna()
    base = events["tracking_id"] + "|" + events["vendor"] + "|" + events["event_type"]
    content = (
        events["context_id"] + "|" + events["event_ts"].astype(str) + "|"
        + events["event_url"].fillna("\x1e") + "|" + events["total_value"].fillna("\x1e")
        + "|" + events["total_currency"].fillna("\x1e")
    )
    events["dedup_key"] = base + "|" + no_transaction.map({True: "C|", False: "T|"}) + (
        content.where(no_transaction, events["transaction_id"])
    )
    events = events.sort_values(
        ["received_at", "source_file", "line_number", "position"], kind="stable"
    ).drop_duplicates("dedup_key", keep="first")

    # Views: usable ones, the earliest copy of each (tracking, context, number).
    if views.empty:
        views = pd.DataFrame(columns=["tracking_id", "context_id", "view_number", "ts_value"])
    views["view_ts"] = epoch_values_to_timestamps(views["ts_value"].astype("float64"))
    number = views["view_number"].astype("float64")
    usable = (
        views["tracking_id"].notna()
        & views["context_id"].notna()
        & (number == number.round())
        & number.between(-(2**31), 2**31 - 1)
        & (views["view_ts"] >= pd.Timestamp("2000-01-01"))
        & (views["view_ts"] < pd.Timestamp("2100-01-01"))
    )
    views = views[usable].copy()
    views["view_number"] = views["view_number"].astype("int64")
    views = views.groupby(
        ["tracking_id", "context_id", "view_number"], as_index=False
    )["view_ts"].min()

    # Rule 5: merge_asof takes the last view at or before the call in
    # (view_ts, view_number) order, so equal times go to the higher number.
    online = events[~events["is_offline"]].sort_values("event_ts")
    views = views.sort_values(["view_ts", "view_number"])
    online = pd.merge_asof(
        online,
        views[["tracking_id", "context_id", "view_ts"]],
        left_on="event_ts",
        right_on="view_ts",
        by=["tracking_id", "context_id"],
        direction="backward",
        tolerance=pd.Timedelta(minutes=MATCH_WINDOW_MINUTES),
        allow_exact_matches=True,
    )
    online["is_matched"] = online["view_ts"].notna()
    offline = events[events["is_offline"]].assign(is_matched=False)
    kept = pd.concat([online, offline], ignore_index=True)

    kept["event_date"] = kept["event_ts"].dt.strftime("%Y-%m-%d")
    kept["offline"] = kept["is_offline"].astype("int64")
    kept["online"] = 1 - kept["offline"]
    kept["matched"] = kept["is_matched"].astype("int64")
    grouped = (
        kept.groupby(["event_date", "tracking_id", "vendor", "event_type"])
        .agg(
            events=("offline", "size"),
            offline=("offline", "sum"),
            online=("online", "sum"),
            matched=("matched", "sum"),
        )
        .reset_index()
    )
    daily: list[DailyRow] = [
        (str(r[0]), str(r[1]), str(r[2]), str(r[3]), int(r[4]), int(r[5]), int(r[6]), int(r[7]))
        for r in grouped.itertuples(index=False)
    ]
    return counts_from_daily(
        daily,
        engine_seconds=time.perf_counter() - started,
        parse_seconds=parsed_seconds,
    )


def main(argv: Sequence[str] | None = None) -> int:
    return counts_main(
        argv, prog="pandas_pipeline.py", description=__doc__, run=run, label="pandas"
    )


if __name__ == "__main__":
    sys.exit(main())
