#!/usr/bin/env python3
"""Generate a synthetic landing folder for the call-tracking pipeline.

Writes ResponseTap and Infinity call lines and Qubit view lines laid out as in
the interface (docs/interface.md), with the awkward cases the
contract allows: numbers as strings, seconds and milliseconds, namespaced
types, vendor retries, late views, re-sent views, gzip files, and broken lines
and events for every reject reason. The result feeds the pytest suite and the
benchmark.

DuckDB builds and renders the rows: every "random" choice is a slice of
hash(seed, day, ...), so the same options give byte-identical files and no
row needs Python. Work is done one day at a time, which bounds memory. The
day's calls render on a second DuckDB connection while the views render, and
a writer thread writes (and gzips) one day while the next one renders.

Layout: OUT_DIR/<vendor>/<yyyy>/<mm>/<dd>/<name>.ndjson[.gz] for the vendors
responsetap, infinity and views. With --drops N > 1 the files go to
OUT_DIR/drop_01 .. drop_NN instead, each a landing folder with the files that
arrive in that drop. OUT_DIR/_generator_summary.json tells what was written
and what the pipeline should make of it ("designed" counts).

Example:
    python scripts/generate_landing.py /tmp/landing --days 3 --views 30000
"""

from __future__ import annotations

import argparse
import ctypes
import json
import shutil
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from string import Template

import duckdb
import numpy as np
import pyarrow as pa

SUMMARY_NAME = "_generator_summary.json"
CALL_VENDORS = ("responsetap", "infinity")
VENDOR_SHORT = {"responsetap": "rt", "infinity": "inf"}
EVENT_TYPES = (
    "ecBasketTransactionSummary",
    "trPackageTransactionSummary",
    "fiBasketTransactionSummary",
)
VIEW_TYPES = ("ecView", "trView", "fiView")
PAGE_TYPES = (
    "home", "category", "product", "basket", "checkout", "confirmation",
    "search", "landing",
)
# Reject reasons in the contract's checking order; the first two spoil a line.
LINE_REASONS = ("invalid_line", "invalid_body")
EVENT_REASONS = (
    "invalid_event",
    "missing_context_id",
    "unknown_event_type",
    "invalid_ts",
    "invalid_total",
)
# Variants of each kind of bad data; the SQL below picks them by index.
LINE_VARIANTS = {
    "invalid_line": (
        "cut_off", "not_json", "blank", "empty_tracking_id",
        "missing_tracking_id", "bad_received_at", "null_body", "json_array",
    ),
    "invalid_body": (
        "form_encoded", "cut_off_json", "events_not_array", "no_events_key",
        "empty", "json_null",
    ),
}
BROKEN_VIEW_KINDS = (
    "cut_off", "not_json", "blank", "missing_tracking_id",
    "missing_context_id", "missing_view_number", "invalid_ts",
)
# Online calls are designed into one of these; offline calls are category 5.
CATEGORIES = (
    "matched", "views_after_call", "views_too_early", "no_views",
    "other_property_views", "offline",
)
MAX_RETRY_LAG_DAYS = 2
DAY_MS = 86_400_000
MILLION = 1_000_000


@dataclass(frozen=True)
class Property:
    """A client property (tracking id) and what its pages look like."""

    tracking_id: str
    namespace: str
    domain: str
    country: str
    language: str
    currency: str
    vertical: int  # index into EVENT_TYPES / VIEW_TYPES


BASE_PROPERTIES = (
    Property("acme_uk", "acme", "www.acme.co.uk", "GB", "en-gb", "GBP", 0),
    Property("globex_de", "globex", "www.globex.de", "DE", "de-de", "EUR", 1),
    Property("initech_us", "initech", "www.initech.com", "US", "en-us", "USD", 2),
    Property("umbrella_fr", "umbrella", "www.umbrella.fr", "FR", "fr-fr", "EUR", 0),
    Property("hooli_us", "hooli", "www.hooli.com", "US", "en-us", "USD", 1),
    Property("wayne_uk", "wayne", "www.wayne.co.uk", "GB", "en-gb", "GBP", 2),
)


@dataclass(frozen=True)
class Config:
    """Validated command-line options."""

    out_dir: Path
    days: int = 30
    start_date: date = date(2026, 11, 1)
    properties: int = 3
    views: int = 10_000
    calls: int = 1_000
    seed: int = 42
    offline_share: float = 0.10
    infinity_share: float = 0.4
    duplicate_share: float = 0.05
    late_view_share: float = 0.05
    max_view_lag_days: int = 2
    reject_share: float = 0.02
    match_rate: float = 0.8
    gzip_share: float = 0.2
    drops: int = 1
    quiet: bool = False
    overwrite: bool = False

    def day_ms(self, day: int) -> int:
        """Unix milliseconds of midnight UTC starting generated day `day`."""
        start = datetime.combine(self.start_date, datetime.min.time(), UTC)
        return int(start.timestamp()) * 1000 + day * DAY_MS

    def day_date(self, day: int) -> date:
        return self.start_date + timedelta(days=day)

    def share_of(self, total: int, day: int) -> int:
        """Spread `total` over the days as evenly as possible."""
        return total // self.days + (1 if day < total % self.days else 0)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


class _HelpFormatter(
    argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter
):
    """Show defaults and keep the docstring's line breaks."""


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not at least 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="generate_landing.py",
        description=__doc__,
        formatter_class=_HelpFormatter,
    )
    add = parser.add_argument
    add("out_dir", type=Path, metavar="OUT_DIR",
        help="folder to write the landing folder (or drop_NN folders) into; "
             "must be empty or missing unless --overwrite")
    add("--days", type=_positive, default=30, help="number of days of data")
    add("--start-date", type=date.fromisoformat, default=date(2026, 11, 1),
        help="first day (UTC), YYYY-MM-DD")
    add("--properties", type=_positive, default=3,
        help="number of client properties (tracking ids)")
    add("--views", type=_non_negative, default=10_000,
        help="distinct page views in total (re-sent and broken view lines "
             "come on top)")
    add("--calls", type=_non_negative, default=1_000,
        help="call events in total, bad ones included (vendor retries come "
             "on top)")
    add("--seed", type=int, default=42,
        help="seed of all pseudo-randomness; same seed and options give "
             "byte-identical files")
    add("--offline-share", type=_share, default=0.10,
        help="share of ResponseTap calls with offline context ids "
             "(gbr0.../clarity..., mixed case)")
    add("--infinity-share", type=_share, default=0.4,
        help="share of calls sent by Infinity (the rest by ResponseTap)")
    add("--duplicate-share", type=_share, default=0.05,
        help="share of good call lines re-sent as vendor retries (same body, "
             "received later, sometimes in a later file/drop, and some "
             "originals land a day after their retry; events without "
             "transaction id make exact duplicates); a fifth of this share "
             "of views is re-sent with a later ts")
    add("--late-view-share", type=_share, default=0.05,
        help="share of views (whole visitors) landing in a later day's file "
             "than the calls they explain")
    add("--max-view-lag-days", type=_non_negative, default=2,
        help="how many days (= drops when --drops equals --days) a late view "
             "lags its calls at most")
    add("--reject-share", type=_share, default=0.02,
        help="share of call lines/events that are bad, spread over every "
             "reject reason of the contract; a tenth of this share of view "
             "lines is added as broken view lines (rule 7)")
    add("--match-rate", type=_share, default=0.8,
        help="share of online calls designed to have a view of the same "
             "tracking id and context id at most 30 minutes before them; the "
             "rest get views only after the call, only more than 30 minutes "
             "before, none, or only under another tracking id")
    add("--gzip-share", type=_share, default=0.2,
        help="share of files written gzip-compressed (*.ndjson.gz)")
    add("--drops", type=_positive, default=1,
        help="write OUT_DIR/drop_01..drop_NN, each holding the files landing "
             "in that drop (consecutive days); 1 writes OUT_DIR directly")
    add("--overwrite", action="store_true",
        help="replace OUT_DIR if it holds an earlier output of this script")
    add("--quiet", action="store_true",
        help="no per-day progress on stderr (the final rate line still prints)")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> Config:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.drops > args.days:
        parser.error("--drops cannot exceed --days (a drop holds whole days)")
    if args.calls // args.days >= 30 * MILLION:
        parser.error("at most 30 million calls per day (transaction id space)")
    return Config(**vars(args))


# --------------------------------------------------------------------------
# SQL: every table is rebuilt for each day; $names are filled per day.
# --------------------------------------------------------------------------

# Hashes are UBIGINT: a modulus of another integer type must be cast to
# UBIGINT, or DuckDB computes in 128 bits, 40 times slower.
MACROS_SQL = Template(r"""
-- Casts keep the hash equal whether v and j come from range() or arithmetic.
create or replace macro view_hash(day, v, j) as
    hash($seed, day::integer, v::bigint, j::bigint, 1);
-- 15% of views carry a ts in seconds, so their time is a whole second.
create or replace macro view_unit(h) as
    case when (h >> 10) % 100 < 15 then 1000 else 1 end;
-- Jitter stays below half the gap, so views of a visitor keep their order.
create or replace macro view_ms(h, start_ms, gap_ms, j) as
    (start_ms + j * gap_ms + ((h % 1000)::bigint * gap_ms) // 2000)
        // view_unit(h) * view_unit(h);
create or replace macro base36(x, width) as
    lower(to_base((x)::bigint, 36, width));
""")

VISITORS_SQL = Template(r"""
create or replace table visitors as
with candidates as (
    select
        v,
        hash($seed, $day, v, 2) as h1,
        hash($seed, $day, v, 3) as h2,
        hash($seed, $day, v, 4) as h3,
    from range($visitor_candidates) as t(v)
),
sized as (
    select *, 1 + (h1 % 11)::integer as n_wanted from candidates
),
placed as (
    select
        *,
        (sum(n_wanted) over (order by v rows unbounded preceding))::bigint
            - n_wanted as first_view,
        $day_ms + ((h1 >> 8) % 82800000)::bigint as start_ms,
        -- whole visitors land late, so the view explaining a call is late too
        case
            when h3 % 1000000 < $late_thr then least(
                $day + 1 + ((h3 >> 40) % $max_lag)::integer, $last_day) - $day
            else 0
        end as lag,
    from sized
),
described as (
    select
        v,
        (v % $properties)::integer as prop,
        least(n_wanted, $views - first_view)::integer as n,
        n_wanted <= $views - first_view as is_full,
        start_ms,
        20000 + ((h1 >> 36) % 280000)::bigint as gap_ms,
        h1, h2,
        1 + ((h2 >> 40) % 5)::integer as session_number,
        ((h2 >> 44) % 40)::integer as first_view_number,
        lag,
        -- a visitor's views go to the file of the half day its visit starts
        case when lag = 0 then least(1, (start_ms - $day_ms) // 43200000)
            else 1 + lag end as slot,
    from placed
    where first_view < $views
),
-- Sorting the few visitors (not the many views) groups views by file and
-- orders each file by visit start; strings are made after the sort.
sorted as (
    select *, prop * $view_slots + slot as fid,
    from described
    order by fid, start_ms, v
),
named as (
    select
        * exclude (h1, h2),
        concat(
            base36(h2 % 131621703842267136, 11), '-',
            base36((h2 >> 8) % 101559956668416, 9), '-',
            base36((h1 >> 20) % 78364164096, 7)
        ) as ctx,
    from sorted
)
select
    *,
    concat('"},"context":{"id":"', ctx, '","viewNumber":') as ctx_piece,
    concat(',"sessionNumber":', session_number, '},"type":"') as session_piece,
from named
""")

# Views keep the visitors' order: no sort over the many rows. A re-sent or
# broken copy follows its original. One streaming query: materializing the
# rows first would cost more than the parallel rendering it allows.
VIEW_LINES_SQL = Template(r"""
with expanded as (
    select
        v, prop, fid, lag, start_ms, gap_ms, first_view_number, ctx_piece,
        session_piece, unnest(range(n)) as j,
    from visitors
),
hashed as (
    select
        *,
        view_hash($day, v, j) as h,
        hash($seed, $day, v, j, 4) as h2,
    from expanded
),
copies as (
    select
        *,
        unnest(case
            when h2 % 1000000 < $resend_thr
                and (h2 >> 20) % 1000000 < $broken_thr
                then [0, 1, 2 + ((h2 >> 56) % $broken_kinds)::integer]
            when h2 % 1000000 < $resend_thr then [0, 1]
            when (h2 >> 20) % 1000000 < $broken_thr
                then [0, 2 + ((h2 >> 56) % $broken_kinds)::integer]
            else [0]
        end) as kind,
    from hashed
),
parts as (
    select
        fid, kind, lag, h, h2, ctx_piece, session_piece,
        first_view_number + j + 1 as view_number,
        -- a re-sent view: same view, later ts
        view_ms(h, start_ms, gap_ms, j) + case when kind = 1
            then view_unit(h) * (1 + (h2 >> 40) % 120)::bigint else 0 end
            as sent_ms,
        prop * 6 + 2 * case when (h2 >> 8) % 100 < 75 then $verticals[prop + 1]
            else ((h2 >> 12) % 3)::integer end
            + ((h >> 30) % 100 < 15)::integer + 1 as type_index,
        prop * 8 + ((h >> 40) % 8)::integer + 1 as page_index,
    from copies
),
lines as (
    select
        fid, kind, lag, h2,
        concat(
            '{"meta":{"id":"v-', ((h >> 16) % 1000000000000)::varchar,
            $view_type_pieces[type_index],
            case
                when (h >> 10) % 100 < 10 then (sent_ms // 1000)::varchar
                when (h >> 10) % 100 < 15
                    then concat('"', (sent_ms // 1000)::varchar, '"')
                when (h >> 10) % 100 < 20 then concat('"', sent_ms::varchar, '"')
                else sent_ms::varchar
            end,
            $view_url_pieces[page_index],
            ctx_piece,
            view_number::varchar,
            session_piece,
            $view_tail_pieces[page_index]
        ) as line,
    from parts
)
select
    fid,
    case kind
        when 0 then line
        when 1 then line
        when 2 then concat(
            left(line, length(line) * (30 + (h2 % 50)::integer) // 100), chr(10))
        when 3 then concat('HTTP/1.1 504 Gateway Timeout', chr(10))
        when 4 then chr(10)
        when 5 then replace(line, '"trackingId":', '"tracking":')
        when 6 then replace(line, '"context":{"id":', '"context":{"visitor":')
        when 7 then replace(line, '"viewNumber":', '"viewNo":')
        else regexp_replace(line, '"ts":[^,]*', '"ts":"soon"')
    end as line,
    kind::utinyint as kind,
    lag > 0 as is_late,
from lines
""")


REQUESTS_SQL = Template(r"""
create or replace table requests as
with candidates as (
    select
        r,
        hash($seed, $day, r, 10) as h1,
        hash($seed, $day, r, 11) as h2,
        hash($seed, $day, r, 17) as h3,
        hash($seed, $day, r, 18) as h4,
    from range($request_candidates) as t(r)
),
sized as (
    select
        *,
        case when h1 % 100 < 85 then 1 when h1 % 100 < 95 then 2 else 3 end
            as n_wanted,
    from candidates
),
placed as (
    select
        *,
        (sum(n_wanted) over (order by r rows unbounded preceding))::bigint
            - n_wanted as first_event,
    from sized
)
select
    r, h1, h2, h3, h4,
    least(n_wanted, $calls - first_event)::integer as n_events,
    ((h1 >> 8) % $properties)::integer as prop,
    (h1 >> 16) % 1000000 < $infinity_thr as is_infinity,
    case when h3 % 1000000 < $line_bad_thr
        then ((h2 >> 60) % 2)::integer end as line_reason,
    ((h2 >> 4) % 24)::integer as line_variant,
from placed
where first_event < $calls
""")

# Each online call is designed against the views of one visitor (rule 5):
# 0 within 30 min after a view, 1 before all its views, 2 more than 30 min
# after its last view, 3 a context id without views, 4 a visitor of another
# property within 30 min (must not match: matching keys on tracking id).
EVENTS_SQL = Template(r"""
create or replace table call_events as
with expanded as (
    select r, prop, is_infinity, unnest(range(n_events)) as k from requests
),
hashed as (
    select
        *,
        hash($seed, $day, r, k, 12) as h1,
        hash($seed, $day, r, k, 13) as h2,
        hash($seed, $day, r, k, 14) as h3,
        hash($seed, $day, r, k, 15) as h4,
        hash($seed, $day, r, k, 16) as h5,
        hash($seed, $day, r, k, 17) % 1000000 as u_match,
    from expanded
),
classified as (
    select
        *,
        case when h1 % 100 < 70 then $verticals[prop + 1]
            else ((h1 >> 8) % 3)::integer end as etype,
        not is_infinity and (h1 >> 16) % 1000000 < $offline_thr as is_offline,
        case when h2 % 1000000 < $event_bad_thr
            then ((h2 >> 20) % 5)::integer end as bad_reason,
        ((h2 >> 24) % 24)::integer as bad_variant,
        -- 0-39 seconds, 40-54 seconds as string, 55-84 ms, 85-99 ms as string
        ((h2 >> 32) % 100)::integer as ts_style,
        ((h3 >> 40) % 100)::integer as edge,
    from hashed
),
categorized as (
    select
        *,
        case
            when is_offline then 5
            when u_match < $match_thr then 0
            else 1 + ((h3 >> 50) % 4)::integer
        end as wanted_cat,
        case
            when not is_offline and u_match >= $match_thr
                and (h3 >> 50) % 4 = 3
                and $properties > 1
                then ((prop + 1 + h3 % greatest($properties - 1, 1)::ubigint)
                    % $properties)::integer
            else prop
        end as target_prop,
    from classified
),
counted as (
    select
        *,
        greatest(0, ($full_visitors - target_prop + $properties - 1)
            // $properties) as target_visitors,
    from categorized
),
fixed as (
    -- fall back to "no views" when the wanted visitor cannot exist
    select
        * exclude (wanted_cat),
        case
            when wanted_cat in (0, 1, 2, 4) and target_visitors = 0 then 3
            when wanted_cat = 4 and $properties = 1 then 3
            else wanted_cat
        end as cat,
        target_prop + $properties
            * ((h3 >> 8) % greatest(target_visitors, 1)::ubigint)::bigint as v,
    from counted
),
visited as (
    select
        f.*,
        case when f.ts_style < 55 then 1000 else 1 end as unit,
        vis.ctx as visitor_ctx,
        case
            when f.cat in (0, 4) and f.edge between 2 and 3 then vis.n - 1
            when f.cat in (0, 4) then (f.h4 % vis.n::ubigint)::integer
            when f.cat = 1 then 0
            when f.cat = 2 then vis.n - 1
        end as j,
        vis.start_ms,
        vis.gap_ms,
    from fixed as f
    left join visitors as vis
        on vis.v = case when f.cat in (0, 1, 2, 4) then f.v end
),
viewed as (
    select
        *,
        view_ms(view_hash($day, v, j), start_ms, gap_ms, j) as view_ms,
        case
            when edge < 2 then 0
            when edge < 4 then 1800000
            else ((h4 >> 20) % 1800001)::bigint
        end as match_offset,
    from visited
)
select
    * exclude (start_ms, gap_ms, view_ms, match_offset),
    -- a seconds ts is rounded up, so the offset leaves room for that
    case
        when cat in (0, 4)
            then (view_ms + least(match_offset, 1800001 - unit) + unit - 1)
                // unit * unit
        when cat = 1
            then (view_ms - 1000 - ((h4 >> 20) % 3600000)::bigint)
                // unit * unit
        when cat = 2
            then (view_ms + 1800001 + unit - 1 + case when edge < 10 then 0
                else ((h4 >> 20) % 7200000)::bigint end) // unit * unit
        else ($day_ms + ((h4 >> 20) % 86400000)::bigint) // unit * unit
    end as event_ms,
from viewed
""")

# A body is JSON inside a JSON string. This SQL writes the body's quotes as
# \" from the start (see the .replace below), which is much cheaper than
# escaping every finished body; none of its values contains a quote.
EVENT_TEXTS_SQL = Template(r"""
create or replace table request_times as
select
    q.r,
    max(e.event_ms) + 1000 + ((any_value(q.h3) >> 24) % 9000)::bigint
        as received_ms,
    bool_or(e.bad_reason is not null) as has_bad_event,
from requests as q
inner join call_events as e on e.r = q.r
group by q.r;

create or replace table request_bodies as
with joined as (
    select e.*, t.received_ms
    from call_events as e
    inner join request_times as t on t.r = e.r
),
derived as (
    select
        *,
        case
            when cat = 5 then concat(
                $offline_prefixes[1 + ((h5 >> 4) % 6)::integer],
                base36((h5 >> 8) % 4738381338321616896, 12))
            when cat = 3 then concat(
                base36(h5 % 131621703842267136, 11), '-',
                base36((h4 >> 4) % 101559956668416, 9), '-',
                base36((h5 >> 20) % 78364164096, 7))
            else visitor_ctx
        end as ctx,
        case
            when ts_style < 40 then (event_ms // 1000)::varchar
            when ts_style < 55 then concat('"', event_ms // 1000, '"')
            when ts_style < 85 then event_ms::varchar
            else concat('"', event_ms, '"')
        end as ts_text,
        99 + ((h5 >> 40) % 250000)::bigint as cents,
        $currencies[prop + 1] as currency,
        ($day + 1) * 100000000::bigint + r * 3 + k as gid,
        ((h5 >> 32) % 100)::integer as total_style,
        ((h5 >> 12) % 100)::integer as tx_style,
    from joined
),
parts as (
    select
        r, k,
        case
            when bad_reason = 1 then ['"context": {}', '"context": {"id": ""}',
                '"context": {"id": null}', null][bad_variant % 4 + 1]
            else concat('"context": {"id": "', ctx, '"}')
        end as context_part,
        case
            when bad_reason = 2 then ['"type": "ecBasketTransaction"',
                '"type": "callConnected"', '"type": "acme.callConnected"',
                '"type": "trPackageTransactionSummaryV2"', null,
                '"type": ""'][bad_variant % 6 + 1]
            else concat('"type": "',
                case when (h5 >> 24) % 100 < 20
                    then concat($namespaces[prop + 1], '.') else '' end,
                $event_types[etype + 1], '"')
        end as type_part,
        case
            when bad_reason = 3 then ['"ts": "soon"', null, '"ts": 946684799',
                concat('"ts": ', received_ms + 90000000), '"ts": null',
                '"ts": "17639424x"', '"ts": 946684799999'][bad_variant % 7 + 1]
            else concat('"ts": ', ts_text)
        end as ts_part,
        case when (h5 >> 52) % 100 < 60 then concat('"url": "https://',
            $domains[prop + 1], '/',
            ['contact-us', 'basket', 'checkout', 'product', 'holidays'][
                1 + ((h5 >> 48) % 5)::integer], '"') end as url_part,
        case when is_infinity then '"source": "infinity@2.4.1"'
            else '"source": "responsetap@1.0.0"' end as source_part,
        case
            when bad_reason = 4 then ['{"value": "12,50", "currency": "GBP"}',
                '{"value": "abc", "currency": "GBP"}',
                '{"value": 9.99, "currency": "EURO"}',
                '{"value": 9.99, "currency": "G1P"}',
                '{"value": "", "currency": "gbp"}',
                '{"value": 9.99, "currency": "E"}',
                '{"value": 9.99}'][bad_variant % 7 + 1]
            when total_style < 35 then concat(
                '{"value": ',
                case when total_style >= 25 then '"' else '' end,
                case when cents % 5 = 0 then (cents // 100)::varchar
                    else concat(cents // 100, '.',
                        lpad((cents % 100)::varchar, 2, '0')) end,
                case when total_style >= 25 then '"' else '' end,
                ', "currency": "',
                case (h5 >> 28) % 10
                    when 0 then lower(currency)
                    when 1 then lower(currency)
                    when 2 then concat(left(currency, 1),
                        lower(right(currency, 2)))
                    else currency end,
                '"}')
            when total_style < 38 then 'null'
        end as total_json,
        case
            when tx_style < 35
                then concat('"transaction": {"id": "0', gid, '"}')
            when tx_style < 45 then concat('"transaction": {"id": "',
                case when is_infinity then 'INF-' else 'RT-' end, gid, '"}')
            when tx_style < 80 then concat('"transaction": {"id": ', gid, '}')
            when tx_style < 85 then '"transaction": {}'
        end as tx_part,
        bad_reason, bad_variant, etype,
    from derived
),
texts as (
    select
        r, k,
        case
            when bad_reason = 0 then ['42', '"call"', 'null', '[1, 2]', 'true',
                '3.5'][bad_variant % 6 + 1]
            else concat('{', concat_ws(', ',
                context_part,
                concat('"meta": {', concat_ws(', ', type_part, ts_part,
                    url_part, source_part), '}'),
                case when total_json is not null then concat('"',
                    case when etype = 1 then 'package' else 'basket' end,
                    '": {"total": ', total_json, '}') end,
                tx_part), '}')
        end as event_text,
    from parts
)
-- at most three events a request: picking them by k is far cheaper than an
-- ordered string_agg
select
    r,
    concat('{"events": [', concat_ws(', ',
        any_value(event_text) filter (where k = 0),
        any_value(event_text) filter (where k = 1),
        any_value(event_text) filter (where k = 2)), ']}') as body,
from texts
group by r
""".replace('"', '\\"'))

CALL_LINES_SQL = Template(r"""
with requests_full as (
    select
        q.*, t.received_ms, t.has_bad_event, b.body,
        q.line_reason is null and not t.has_bad_event
            and (q.h2 >> 16) % 1000000 < $duplicate_thr as is_retried,
        case
            when (q.h2 >> 40) % 100 < 5 then 0
            when (q.h2 >> 40) % 100 < 60 then 1000 + q.h4 % 299000
            when (q.h2 >> 40) % 100 < 85 then 3600000 + q.h4 % 18000000
            else (1 + (q.h4 >> 56) % $max_retry_lag) * 86400000
                + (q.h4 >> 16) % 3600000
        end::bigint as retry_delay_ms,
    from requests as q
    inner join request_times as t on t.r = q.r
    inner join request_bodies as b on b.r = q.r
),
sent as (
    -- the original, and for retried requests a retry of the same body; a
    -- third of the originals of retries sent an hour or more later land a
    -- day after their retry, so a later drop holds the copy to keep (rule 4)
    select
        *,
        false as is_retry,
        received_ms as sent_ms,
        case
            when is_retried and (h3 >> 52) % 3 = 0
                and retry_delay_ms >= 3600000
                and retry_delay_ms // 86400000 < $max_retry_lag
                then retry_delay_ms // 86400000 + 1
            else 0
        end as land_lag,
    from requests_full
    union all
    select
        *,
        true as is_retry,
        received_ms + retry_delay_ms as sent_ms,
        retry_delay_ms // 86400000 as land_lag,
    from requests_full
    where is_retried
),
landed as (
    select
        *,
        least($day + land_lag, $last_day) - $day as lag,
        case when (h3 >> 40) % 10 = 0
            then strftime(epoch_ms(sent_ms), '%Y-%m-%dT%H:%M:%SZ')
            else strftime(epoch_ms(sent_ms), '%Y-%m-%dT%H:%M:%S.%gZ')
        end as received_text,
        -- body is escaped already; a cut must not end inside an escape
        case when line_reason = 1 then ['events=%5B%5D',
                rtrim(left(body, length(body) // 2), '\'), '{\"events\": {}}',
                replace(body, '\"events\"', '\"event\"'), '', 'null'][
                line_variant % 6 + 1]
            else body end as sent_body,
    from sent
),
parts as (
    select
        *,
        case
            when line_reason = 0 and line_variant % 8 = 3
                then '"tracking_id": ""'
            when line_reason = 0 and line_variant % 8 = 4 then null
            else concat('"tracking_id": "', $tracking_ids[prop + 1], '"')
        end as tracking_part,
        case
            when line_reason = 0 and line_variant % 8 = 5
                then concat('"received_at": "',
                    strftime(epoch_ms(sent_ms), '%d/%m/%Y %H:%M:%S'), '"')
            else concat('"received_at": "', received_text, '"')
        end as received_part,
        case
            when line_reason = 0 and line_variant % 8 = 6 then '"body": null'
            else concat('"body": "', sent_body, '"')
        end as body_part,
    from landed
),
lines as (
    select
        *,
        concat('{', concat_ws(', ', tracking_part, received_part, body_part),
            '}') as good_line,
    from parts
)
select
    case when is_infinity then $call_slots else 0 end + case
        when lag = 0 then least(1, greatest(0, (sent_ms - $day_ms) // 43200000))
        else 1 + lag
    end as fid,
    concat(
        case
            when line_reason = 0 and line_variant % 8 = 0 then left(good_line,
                length(good_line) * (20 + (h2 % 60)::integer) // 100)
            when line_reason = 0 and line_variant % 8 = 1
                then '<html><body><h1>502 Bad Gateway</h1></body></html>'
            when line_reason = 0 and line_variant % 8 = 2 then ''
            when line_reason = 0 and line_variant % 8 = 7 then concat('["',
                $tracking_ids[prop + 1], '", "', received_text, '"]')
            else good_line
        end,
        chr(10)
    ) as line,
from lines
order by fid, sent_ms, r, is_retry
""")

# Designed counts for the summary, per vendor; see Stats.
CALL_STATS_SQL = r"""
select
    q.is_infinity,
    q.line_reason,
    e.bad_reason,
    e.etype,
    e.cat,
    count(*) as events,
from call_events as e
inner join requests as q on q.r = e.r
group by all
"""
LINE_STATS_SQL = r"""
select is_infinity, line_reason, line_variant, count(*) as lines,
from requests
group by all
"""
RETRY_STATS_SQL = Template(r"""
select
    q.is_infinity,
    count(*) as lines,
    sum(q.n_events) as events,
from requests as q
inner join request_times as t on t.r = q.r
where q.line_reason is null and not t.has_bad_event
    and (q.h2 >> 16) % 1000000 < $duplicate_thr
group by all
""")
# --------------------------------------------------------------------------
# Per-day generation
# --------------------------------------------------------------------------


def sql_list(values: Sequence[str | int]) -> str:
    """A DuckDB list literal of plain strings or integers."""
    return "[" + ", ".join(
        str(v) if isinstance(v, int) else "'" + v.replace("'", "''") + "'"
        for v in values
    ) + "]"


def threshold(share: float) -> int:
    """A share as a bound for `hash % 1000000`."""
    return round(share * MILLION)


def make_properties(count: int) -> list[Property]:
    """The first `count` properties, renaming repeats so tracking ids stay unique."""
    props = []
    for i in range(count):
        base = BASE_PROPERTIES[i % len(BASE_PROPERTIES)]
        cycle = i // len(BASE_PROPERTIES)
        if cycle:
            name, country = base.tracking_id.rsplit("_", 1)
            base = Property(
                f"{name}{cycle + 1}_{country}", f"{base.namespace}{cycle + 1}",
                base.domain.replace(".", f"{cycle + 1}.", 1), base.country,
                base.language, base.currency, base.vertical,
            )
        props.append(base)
    return props


def view_pieces(props: Sequence[Property]) -> dict[str, str]:
    """Constant stretches of a view line, precomputed per property so that
    rendering a line concatenates a few pieces instead of many fields.

    type pieces: index prop * 6 + 2 * view type + namespaced;
    url and tail pieces: index prop * 8 + page type.
    """
    type_pieces, url_pieces, tail_pieces = [], [], []
    for prop in props:
        for view_type in VIEW_TYPES:
            for prefix in ("", f"{prop.namespace}."):
                type_pieces.append(f'","type":"{prefix}{view_type}","ts":')
        for page in PAGE_TYPES:
            url_pieces.append(
                f',"trackingId":"{prop.tracking_id}","url":"https://{prop.domain}/{page}'
            )
            tail_pieces.append(
                f'{page}","country":"{prop.country}","language":"{prop.language}"}}\n'
            )
    return {
        "view_type_pieces": sql_list(type_pieces),
        "view_url_pieces": sql_list(url_pieces),
        "view_tail_pieces": sql_list(tail_pieces),
    }


def view_slots(cfg: Config) -> int:
    """File slots per property and day: am, pm, then one per day of lag."""
    return 2 + cfg.max_view_lag_days


CALL_SLOTS = 2 + MAX_RETRY_LAG_DAYS


def sql_params(cfg: Config, props: Sequence[Property], day: int) -> dict[str, object]:
    """Values substituted into the SQL templates for one day."""
    views = cfg.share_of(cfg.views, day)
    calls = cfg.share_of(cfg.calls, day)
    event_bad = cfg.reject_share * len(EVENT_REASONS) / 7
    line_bad = cfg.reject_share * len(LINE_REASONS) / 7
    return {
        "seed": cfg.seed,
        "day": day,
        "day_ms": cfg.day_ms(day),
        "last_day": cfg.days - 1,
        "properties": len(props),
        "views": views,
        "calls": calls,
        # enough candidates to reach the count (a visitor has 6 views on
        # average, a request at least one event); the surplus is cut off
        "visitor_candidates": views // 5 + 16,
        "request_candidates": calls + 16,
        "late_thr": threshold(cfg.late_view_share) if cfg.max_view_lag_days else 0,
        "max_lag": max(cfg.max_view_lag_days, 1),  # a modulus, never 0
        "max_view_lag_days": cfg.max_view_lag_days,
        "view_slots": view_slots(cfg),
        "call_slots": CALL_SLOTS,
        "max_retry_lag": MAX_RETRY_LAG_DAYS,
        "resend_thr": threshold(cfg.duplicate_share / 5),
        "broken_thr": threshold(cfg.reject_share / 10),
        "broken_kinds": len(BROKEN_VIEW_KINDS),
        "infinity_thr": threshold(cfg.infinity_share),
        "offline_thr": threshold(cfg.offline_share),
        "match_thr": threshold(cfg.match_rate),
        "duplicate_thr": threshold(cfg.duplicate_share),
        "event_bad_thr": threshold(event_bad),
        "line_bad_thr": threshold(line_bad),
        "tracking_ids": sql_list([p.tracking_id for p in props]),
        "namespaces": sql_list([p.namespace for p in props]),
        "domains": sql_list([p.domain for p in props]),
        "currencies": sql_list([p.currency for p in props]),
        "verticals": sql_list([p.vertical for p in props]),
        "event_types": sql_list(list(EVENT_TYPES)),
        **view_pieces(props),
        "offline_prefixes": sql_list(
            ["gbr0", "GBR0", "Gbr0", "clarity", "Clarity", "CLARITY"]
        ),
    }


@dataclass
class DayOutput:
    """Rendered lines of one day, ordered by file id (fid)."""

    day: int
    views: pa.Table
    calls: pa.Table


def run(con: duckdb.DuckDBPyConnection, template: Template | str,
        params: dict[str, object]) -> None:
    sql = template.substitute(params) if isinstance(template, Template) else template
    con.execute(sql)


def build_visitors(con: duckdb.DuckDBPyConnection, params: dict[str, object]) -> None:
    """The day's visitors, which both views and calls are made from."""
    run(con, VISITORS_SQL, params)
    ((full, views),) = con.execute(
        "select count(*) filter (where is_full), coalesce(sum(n), 0) from visitors"
    ).fetchall()
    if views != params["views"]:
        raise RuntimeError(f"day {params['day']}: {views} views, not {params['views']}")
    params["full_visitors"] = full


def render_views(con: duckdb.DuckDBPyConnection, params: dict[str, object]) -> pa.Table:
    return con.sql(VIEW_LINES_SQL.substitute(params)).to_arrow_table()


def render_calls(con: duckdb.DuckDBPyConnection, params: dict[str, object]) -> pa.Table:
    for template in (REQUESTS_SQL, EVENTS_SQL, EVENT_TEXTS_SQL):
        run(con, template, params)
    return con.sql(CALL_LINES_SQL.substitute(params)).to_arrow_table()


class DayRenderer:
    """Renders a day's views and calls at the same time.

    Calls work on small tables that DuckDB runs on one thread, so they go to
    a second connection (same in-memory database, hence regular tables) in a
    thread of their own and use the core the views leave idle.
    """

    def __init__(self, seed: int) -> None:
        self.con = duckdb.connect()
        self.con.execute(MACROS_SQL.substitute(seed=seed))
        self.calls_con = self.con.cursor()
        self.pool = ThreadPoolExecutor(max_workers=1)

    def render(self, day: int, params: dict[str, object]) -> DayOutput:
        build_visitors(self.con, params)
        calls = self.pool.submit(render_calls, self.calls_con, params)
        views = render_views(self.con, params)
        return DayOutput(day, views, calls.result())

    def close(self) -> None:
        self.pool.shutdown()
        self.calls_con.close()
        self.con.close()


# --------------------------------------------------------------------------
# Counting what was designed
# --------------------------------------------------------------------------


@dataclass
class Stats:
    """Counters for the summary; nested keys are joined with '.'."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, folder: str, key: str, value: int) -> None:
        self.counts.setdefault(folder, Counter())[key] += int(value)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            folder: dict(sorted(counter.items()))
            for folder, counter in sorted(self.counts.items())
        }


def vendor_name(is_infinity: bool) -> str:
    return "infinity" if is_infinity else "responsetap"


def count_day(con: duckdb.DuckDBPyConnection, params: dict[str, object],
              views: pa.Table, stats: Stats) -> None:
    """Add the day's designed counts (what the pipeline should find)."""
    for is_inf, line_reason, bad_reason, etype, cat, n in (
        con.execute(CALL_STATS_SQL).fetchall()
    ):
        vendor = vendor_name(is_inf)
        stats.add(vendor, "events_generated", n)
        if line_reason is not None:
            stats.add(vendor, "events_in_bad_lines", n)
        elif bad_reason is not None:
            reason = EVENT_REASONS[bad_reason]
            stats.add(vendor, f"rejected_events.{reason}", n)
        else:
            stats.add(vendor, "kept_events", n)
            stats.add(vendor, f"kept_events_by_type.{EVENT_TYPES[etype]}", n)
            stats.add(vendor, f"kept_events_by_design.{CATEGORIES[cat]}", n)
            stats.add(vendor, "offline_events" if cat == 5 else "online_events", n)
    for is_inf, line_reason, line_variant, n in con.execute(LINE_STATS_SQL).fetchall():
        vendor = vendor_name(is_inf)
        if line_reason is not None:
            reason = LINE_REASONS[line_reason]
            variants = LINE_VARIANTS[reason]
            stats.add(vendor, f"rejected_lines.{reason}", n)
            stats.add(vendor, f"rejected_line_variants.{reason}."
                      f"{variants[line_variant % len(variants)]}", n)
    for is_inf, lines, events in con.execute(
        RETRY_STATS_SQL.substitute(params)
    ).fetchall():
        stats.add(vendor_name(is_inf), "retry_lines", lines)
        stats.add(vendor_name(is_inf), "duplicate_events", events)
    kinds = views.column("kind").to_numpy()
    for kind, n in enumerate(np.bincount(kinds).tolist() if len(kinds) else []):
        if kind == 0:
            stats.add("views", "distinct_views", n)
        elif kind == 1:
            stats.add("views", "resent_view_lines", n)
        elif n:
            stats.add("views", f"broken_view_lines.{BROKEN_VIEW_KINDS[kind - 2]}", n)
    late = views.column("is_late").to_numpy(zero_copy_only=False)
    stats.add("views", "late_view_lines", int(late.sum()))


# --------------------------------------------------------------------------
# Writing files
# --------------------------------------------------------------------------


def _batch_runs(table: pa.Table) -> Iterator[tuple[int, memoryview, int]]:
    """(fid, bytes, line count) for each run of equal fid within a batch.

    The lines already end in a newline, so a run's slice of the Arrow data
    buffer is exactly the file content: no per-line Python work.
    """
    for batch in table.to_batches():
        if batch.num_rows == 0:
            continue
        fids = batch.column(0).to_numpy(zero_copy_only=False)
        lines = batch.column(1)
        if not (pa.types.is_string(lines.type) or pa.types.is_large_string(lines.type)):
            lines = lines.cast(pa.large_string())
        width = np.int64 if pa.types.is_large_string(lines.type) else np.int32
        _, offsets_buf, data_buf = lines.buffers()
        offsets = np.frombuffer(offsets_buf, dtype=width)[
            lines.offset: lines.offset + len(lines) + 1
        ]
        data = memoryview(data_buf) if data_buf is not None else memoryview(b"")
        starts = np.concatenate(([0], np.flatnonzero(np.diff(fids)) + 1))
        ends = np.concatenate((starts[1:], [len(fids)]))
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            yield int(fids[start]), data[offsets[start]:offsets[end]], end - start


def file_runs(table: pa.Table) -> Iterator[tuple[int, list[memoryview], int]]:
    """(fid, byte pieces, line count) per file; a file's lines may span batches."""
    fid, pieces, lines = -1, [], 0
    for run_fid, piece, n in _batch_runs(table):
        if run_fid != fid and pieces:
            yield fid, pieces, lines
            pieces, lines = [], 0
        fid = run_fid
        pieces.append(piece)
        lines += n
    if pieces:
        yield fid, pieces, lines


@dataclass
class FilePlan:
    """Where one file of a day goes."""

    folder: str  # responsetap, infinity or views
    land_day: int
    stem: str  # file name without .ndjson[.gz]


class LandingWriter:
    """Writes files, choosing gzip and missing final newlines evenly."""

    def __init__(self, cfg: Config, props: Sequence[Property]) -> None:
        self.cfg = cfg
        self.props = list(props)
        self.files_per_folder: Counter[str] = Counter()
        self.stats = Stats()

    def drop_dir(self, land_day: int) -> Path:
        if self.cfg.drops == 1:
            return self.cfg.out_dir
        drop = land_day * self.cfg.drops // self.cfg.days + 1
        return self.cfg.out_dir / f"drop_{drop:0{max(2, len(str(self.cfg.drops)))}d}"

    def day_dir(self, folder: str, land_day: int) -> Path:
        d = self.cfg.day_date(land_day)
        return self.drop_dir(land_day) / folder / f"{d:%Y}" / f"{d:%m}" / f"{d:%d}"

    def view_plan(self, day: int, fid: int) -> FilePlan:
        slots = view_slots(self.cfg)
        prop, slot = divmod(fid, slots)
        return self._plan("views", f"views-{self.props[prop].tracking_id}", day, slot)

    def call_plan(self, day: int, fid: int) -> FilePlan:
        vendor_index, slot = divmod(fid, CALL_SLOTS)
        vendor = CALL_VENDORS[vendor_index]
        return self._plan(vendor, VENDOR_SHORT[vendor], day, slot)

    def _plan(self, folder: str, prefix: str, day: int, slot: int) -> FilePlan:
        if slot < 2:
            land = day
            stem = f"{prefix}-{self.cfg.day_date(day):%Y%m%d}-{('am', 'pm')[slot]}"
        else:
            land = day + slot - 1
            # late views, or call lines landing late (retries, late originals)
            stem = (f"{prefix}-{self.cfg.day_date(land):%Y%m%d}-late-from-"
                    f"{self.cfg.day_date(day):%Y%m%d}")
        return FilePlan(folder, land, stem)

    def _next_choice(self, folder: str) -> tuple[bool, bool]:
        """(gzip?, drop the final newline?) for the folder's next file.

        Spread evenly by a running count rather than by hash, so even a few
        files get their share of gzip.
        """
        i = self.files_per_folder[folder]
        self.files_per_folder[folder] += 1
        share = self.cfg.gzip_share
        gz = int((i + 1) * share + 0.5) > int(i * share + 0.5)
        return gz, (not gz and i % 5 == 1)

    def write(self, plan: FilePlan, pieces: list[memoryview], lines: int) -> None:
        gz, strip_newline = self._next_choice(plan.folder)
        directory = self.day_dir(plan.folder, plan.land_day)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / (plan.stem + (".ndjson.gz" if gz else ".ndjson"))
        # Keep the final newline when the last line is blank: a blank last
        # line without its newline would not be a line at all.
        if strip_newline and not ends_with_blank_line(pieces):
            pieces = [*pieces[:-1], pieces[-1][:-1]]
            self.stats.add(plan.folder, "files_without_final_newline", 1)
        with open(path, "wb") as out:
            if gz:
                out.write(gzip_bytes(pieces))
            else:
                out.writelines(pieces)
        drop = self.drop_dir(plan.land_day).name if self.cfg.drops > 1 else "."
        for key in (plan.folder, f"drops.{drop}"):
            self.stats.add(key, "files", 1)
            self.stats.add(key, "gzip_files" if gz else "plain_files", 1)
        self.stats.add(plan.folder, "lines", lines)
        self.stats.add(plan.folder, "bytes_uncompressed", sum(len(p) for p in pieces))
        self.stats.add(f"drops.{drop}", f"lines.{plan.folder}", lines)

    def write_day(self, out: DayOutput) -> int:
        """Write one day's files; returns the number of lines."""
        written = 0
        for fid, pieces, lines in file_runs(out.views):
            self.write(self.view_plan(out.day, fid), pieces, lines)
            written += lines
        for fid, pieces, lines in file_runs(out.calls):
            self.write(self.call_plan(out.day, fid), pieces, lines)
            written += lines
        return written

    def write_ignored_files(self) -> list[str]:
        """Files the pipeline must skip: delivery markers and an upload in flight."""
        written = []
        for drop_start in sorted({self.drop_dir(d) for d in range(self.cfg.days)}):
            first_day = next(d for d in range(self.cfg.days)
                             if self.drop_dir(d) == drop_start)
            marker = self.day_dir("views", first_day) / "_SUCCESS"
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_bytes(b"")
            written.append(marker)
        tmp_dir = self.day_dir("responsetap", 0)
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"rt-{self.cfg.day_date(0):%Y%m%d}-upload.ndjson.tmp"
        # A valid line: if the pipeline read this file, its counts would show it.
        tmp.write_text(json.dumps({
            "tracking_id": self.props[0].tracking_id,
            "received_at": f"{self.cfg.day_date(0)}T12:00:01.000Z",
            "body": json.dumps({"events": [{
                "context": {"id": "tmp-file-must-be-ignored"},
                "meta": {"type": EVENT_TYPES[0], "ts": self.cfg.day_ms(0) // 1000
                         + 43200, "source": "responsetap@1.0.0"},
                "transaction": {"id": "tmp-file-must-be-ignored"},
            }]}),
        }) + "\n")
        written.append(tmp)
        return [str(p.relative_to(self.cfg.out_dir)) for p in written]


def ends_with_blank_line(pieces: list[memoryview]) -> bool:
    """True when the content ends in an empty line (two newlines)."""
    tail = b"".join(bytes(p[-2:]) for p in pieces[-2:])
    return len(tail) < 2 or tail[-2:] == b"\n\n"


def gzip_bytes(pieces: list[memoryview]) -> bytes:
    """Gzip with a fixed header (mtime 0, no name) so output is reproducible.

    Level 1: compression is the slowest part of writing and size is no goal.
    """
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    return b"".join([*(compressor.compress(p) for p in pieces), compressor.flush()])


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def prepare_out_dir(cfg: Config) -> None:
    """Refuse to mix with other files; --overwrite only replaces our own output."""
    out = cfg.out_dir
    if out.exists() and any(out.iterdir()):
        if not cfg.overwrite:
            sys.exit(f"error: {out} is not empty (use --overwrite to replace "
                     "an earlier output of this script)")
        if not (out / SUMMARY_NAME).is_file():
            sys.exit(f"error: {out} has no {SUMMARY_NAME}; refusing to delete it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def progress(cfg: Config, message: str) -> None:
    if not cfg.quiet:
        print(message, file=sys.stderr, flush=True)


def summary_options(cfg: Config) -> dict[str, object]:
    """Options as JSON values, without the output folder (output must not
    depend on where it is written)."""
    options = asdict(cfg)
    for key in ("out_dir", "quiet", "overwrite"):
        options.pop(key)
    options["start_date"] = cfg.start_date.isoformat()
    return options


def build_summary(cfg: Config, props: Sequence[Property], stats: Stats,
                  writer: LandingWriter, ignored: list[str]) -> dict[str, object]:
    merged = Stats()
    for source in (stats, writer.stats):
        for folder, counter in source.counts.items():
            for key, value in counter.items():
                merged.add(folder, key, value)
    folders = merged.as_dict()
    def total(key: str) -> int:
        return sum(folders.get(vendor, {}).get(key, 0) for vendor in CALL_VENDORS)

    rejected_rows = sum(
        value
        for vendor in CALL_VENDORS
        for key, value in folders.get(vendor, {}).items()
        if key.startswith(("rejected_events.", "rejected_lines."))
    )
    return {
        "generator": "scripts/generate_landing.py",
        "options": summary_options(cfg),
        "tracking_ids": [p.tracking_id for p in props],
        "layout": "drop_NN folders" if cfg.drops > 1 else "landing folder",
        # What a pipeline following the contract should report, all vendors.
        "expected": {
            "call_events_rejected_rows": rejected_rows,
            "kept_events": total("kept_events"),
            "duplicate_events": total("duplicate_events"),
            "offline_events": total("offline_events"),
            "online_events": total("online_events"),
            "matched_events": total("kept_events_by_design.matched"),
            "unusable_view_lines": sum(
                value for key, value in folders.get("views", {}).items()
                if key.startswith("broken_view_lines.")),
            "distinct_views": folders.get("views", {}).get("distinct_views", 0),
        },
        "folders": {k: v for k, v in folders.items() if not k.startswith("drops.")},
        "drops": {k.removeprefix("drops."): v for k, v in folders.items()
                  if k.startswith("drops.")},
        "ignored_files": ignored,
    }


def keep_freed_memory() -> None:
    """Let glibc reuse freed memory instead of returning it to the system.

    Each day allocates and frees ~100 MB of Arrow buffers; by default glibc
    maps and unmaps them every time, and the page faults cost about a third
    of the run time. No-op where glibc is not the C library.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    libc.mallopt(m_mmap_threshold, 32 << 20)  # glibc's maximum
    libc.mallopt(m_trim_threshold, 1 << 30)
    libc.mallopt(m_top_pad, 256 << 20)


def generate(cfg: Config) -> dict[str, object]:
    """Write the landing folder(s) and the summary; returns the summary."""
    started, cpu_started = time.perf_counter(), time.process_time()
    prepare_out_dir(cfg)
    keep_freed_memory()
    props = make_properties(cfg.properties)
    renderer = DayRenderer(cfg.seed)
    writer = LandingWriter(cfg, props)
    stats = Stats()
    lines = 0
    pending: Future[int] | None = None
    with ThreadPoolExecutor(max_workers=1) as pool:
        for day in range(cfg.days):
            day_started = time.perf_counter()
            params = sql_params(cfg, props, day)
            output = renderer.render(day, params)
            count_day(renderer.con, params, output.views, stats)
            # One day in flight at most: bounded memory, and DuckDB renders
            # the next day while the writer thread writes this one.
            if pending is not None:
                lines += pending.result()
            pending = pool.submit(writer.write_day, output)
            progress(cfg, f"day {day + 1}/{cfg.days} {cfg.day_date(day)}: "
                          f"{output.views.num_rows:,} view lines, "
                          f"{output.calls.num_rows:,} call lines in "
                          f"{time.perf_counter() - day_started:.2f}s")
        if pending is not None:
            lines += pending.result()
    renderer.close()
    ignored = writer.write_ignored_files()
    summary = build_summary(cfg, props, stats, writer, ignored)
    (cfg.out_dir / SUMMARY_NAME).write_text(json.dumps(summary, indent=2) + "\n")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    view_lines = writer.stats.counts.get("views", Counter())["lines"]
    # The result, not progress: printed even with --quiet.
    print(f"wrote {lines:,} lines ({view_lines:,} view lines) to {cfg.out_dir} "
          f"in {seconds:.2f}s ({cpu_seconds:.1f}s CPU): "
          f"{lines / seconds:,.0f} lines/s, {view_lines / seconds:,.0f} view lines/s")
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    generate(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
