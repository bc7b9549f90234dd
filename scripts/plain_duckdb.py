#!/usr/bin/env python3
"""The whole call-tracking contract as one plain DuckDB program (no dbt).

The benchmark's yardstick: what the same work costs in DuckDB alone, so that
the dbt build's ratio to it is honest. From a landing folder it builds, in an
in-memory DuckDB database, the five relations of docs/interface.md:
ec_basket_transaction_summary, tr_package_transaction_summary,
fi_basket_transaction_summary, call_match_rates and call_events_rejected
(every rejected line or event with its reason and raw text), plus
landing_files_unreadable and the number of view lines not usable for matching.

How it reads (every rule as in docs/interface.md and the README's decisions;
tests/integration/test_plain_duckdb.py checks it against reference.py):

* every landing file is listed with os.walk and passed to DuckDB as a path,
  never a pattern; a file that cannot be read whole (broken, truncated or
  trailing gzip, a plain file named .gz, no permission, a link out of the
  folder) is skipped and listed with its error;
* most files go through DuckDB's CSV reader as one VARCHAR column (no quote,
  no escape, a NUL delimiter; gzip by extension), materialised in insertion
  order, so within a file rowid order is line order; a file holding a CR,
  a NUL byte, a BOM, bytes that are not UTF-8 or a line longer than
  FAST_MAX_LINE_BYTES, or whose path DuckDB could read as a pattern, is split
  on LF exactly in Python instead;
* only the views of callers (tracking id and context id of an online kept
  call) are deduplicated and matched, in one ASOF join.

Usage:
    .venv/bin/python scripts/plain_duckdb.py LANDING_DIR [--out counts.json]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from daily_counts import DailyRow, counts_from_daily, counts_main  # noqa: E402
from landing_reader import list_files, read_whole, split_lines  # noqa: E402

VENDOR_FOLDERS = ("responsetap", "infinity")
VIEW_FOLDER = "views"
# The project's defaults (dbt_project.yml vars).
OFFLINE_PREFIXES = ("gbr0", "clarity")
MATCH_WINDOW_MINUTES = 30
MARTS = {
    "ecBasketTransactionSummary": "ec_basket_transaction_summary",
    "trPackageTransactionSummary": "tr_package_transaction_summary",
    "fiBasketTransactionSummary": "fi_basket_transaction_summary",
}
CONTRACT_RELATIONS = (*MARTS.values(), "call_match_rates", "call_events_rejected")

# Longer lines go the exact path (the CSV reader's buffers grow with this).
FAST_MAX_LINE_BYTES = 8 * 1024 * 1024
# Characters DuckDB's file readers may take as a glob pattern.
PATTERN_CHARACTERS = frozenset("*?[]{}\\")
BOM = b"\xef\xbb\xbf"
INVALID_UTF8_RAW = "<invalid utf-8>"


@dataclass(frozen=True)
class LandingFile:
    file_id: int
    folder: str
    path: str
    source_file: str


@dataclass
class Landing:
    """The usable files, split by how they are read, and the unreadable ones."""

    fast: list[LandingFile] = field(default_factory=list)
    exact: list[tuple[LandingFile, bytes]] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PlainResult:
    """The connection holding the relations, and what the run saw."""

    con: duckdb.DuckDBPyConnection
    unreadable: list[tuple[str, str]]
    files_fast: int
    files_exact: int
    view_lines: int
    view_lines_unusable: int
    seconds: dict[str, float]


# --------------------------------------------------------------------------
# Listing and checking the landing files (interface: the landing folder)
# --------------------------------------------------------------------------


def longest_line(data: bytes) -> int:
    if len(data) <= FAST_MAX_LINE_BYTES:
        return len(data)
    import numpy as np

    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    bounds = np.concatenate(([-1], ends, [len(data)]))
    return int(np.diff(bounds).max()) - 1


def is_fast(path: str, data: bytes) -> bool:
    """Whether DuckDB's CSV reader gives exactly the file's LF-split lines."""
    if PATTERN_CHARACTERS & set(path):
        return False
    try:
        path.encode("utf-8")
        data.decode("utf-8")
    except UnicodeError:
        return False
    return (
        b"\r" not in data
        and b"\x00" not in data
        and not data.startswith(BOM)
        and longest_line(data) <= FAST_MAX_LINE_BYTES
    )


def scan_landing(landing_dir: str) -> Landing:
    landing = Landing()
    file_id = 0
    for folder in (*VENDOR_FOLDERS, VIEW_FOLDER):
        for path, source_file in list_files(landing_dir, folder):
            try:
                data = read_whole(landing_dir, path)
            except (OSError, ValueError) as error:
                landing.unreadable.append((source_file, str(error)))
                continue
            file_id += 1
            file = LandingFile(file_id, folder, path, source_file)
            if is_fast(path, data):
                landing.fast.append(file)
            else:
                landing.exact.append((file, data))
    return landing


# --------------------------------------------------------------------------
# Lines into DuckDB: call_lines, view_lines (file_id, folder, source_file,
# line_number, line)
# --------------------------------------------------------------------------


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def decoded(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def insert_columns(
    con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, tuple[str, list[Any]]]
) -> None:
    """Create `table` from Python lists, one per column (name: (type, values))."""
    definitions = ", ".join(f"{name} {sql_type}" for name, (sql_type, _) in columns.items())
    con.execute(f"create or replace temp table {table} ({definitions})")
    values = [values for _sql_type, values in columns.values()]
    if values and values[0]:
        unnested = ", ".join(f"unnest(${index + 1})" for index in range(len(values)))
        con.execute(f"insert into {table} select {unnested}", values)


def load_files_table(con: duckdb.DuckDBPyConnection, landing: Landing) -> None:
    files = landing.fast + [file for file, _data in landing.exact]
    insert_columns(con, "landing_files", {
        "file_id": ("integer", [file.file_id for file in files]),
        "folder": ("varchar", [file.folder for file in files]),
        # Only fast-path paths are matched against (those are UTF-8).
        "path": ("varchar", [
            file.path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            for file in files
        ]),
        "source_file": ("varchar", [file.source_file for file in files]),
    })


def load_fast_lines(
    con: duckdb.DuckDBPyConnection, table: str, files: list[LandingFile], columns: str
) -> None:
    """The CSV reader's lines in insertion order, as `columns` (a select list
    over `line`): within a file, rowid order is line order (checked: each
    file is one run of rowids)."""
    con.execute(f"""
        create or replace temp table {table} as
        select '' as filename, {columns} from (select '' as line) where false
    """)
    if files:
        paths = ", ".join(sql_text(file.path) for file in files)
        con.execute(f"""
            insert into {table}
            select filename, {columns}
            from (
                select filename, coalesce(line, '') as line
                from read_csv(
                    [{paths}], columns = {{'line': 'VARCHAR'}}, header = false,
                    delim = '\\0', quote = '', escape = '', new_line = '\\n',
                    auto_detect = false, filename = true, compression = 'auto',
                    max_line_size = {FAST_MAX_LINE_BYTES + 1}
                )
            )
        """)
    broken = con.execute(f"""
        select filename from {table} group by filename
        having max(rowid) - min(rowid) + 1 != count(*)
    """).fetchall()
    if broken:
        raise RuntimeError(f"lines of {broken[0][0]} are not one run of rowids")


def load_exact_lines(
    con: duckdb.DuckDBPyConnection, table: str, files: list[tuple[LandingFile, bytes]]
) -> None:
    """Files the CSV reader would not split exactly: split on LF here."""
    file_ids: list[int] = []
    numbers: list[int] = []
    lines: list[str | None] = []
    for file, data in files:
        for number, raw in enumerate(split_lines(data), start=1):
            file_ids.append(file.file_id)
            numbers.append(number)
            lines.append(decoded(raw))
    insert_columns(con, table, {
        "file_id": ("integer", file_ids),
        "line_number": ("bigint", numbers),
        "line": ("varchar", lines),
    })


# What is kept of each line: the text of a vendor line (its raw text goes to
# the quarantine), the JSON fields of a view line (parsed once, as it is read).
CALL_LINE_COLUMNS = "line"
VIEW_LINE_COLUMNS = """case when json_valid(line) then json_extract(line, [
    '$.meta.trackingId', '$.context.id', '$.context.viewNumber', '$.meta.ts',
    '$.meta.url', '$.context.sessionNumber', '$.type'
]) end as f"""


def load_lines(
    con: duckdb.DuckDBPyConnection,
    name: str,
    folders: Sequence[str],
    landing: Landing,
    columns: str,
) -> None:
    """View `name`: every line of the folders' files (file_id, folder,
    source_file, line_number, then `columns` of the line); a null line is
    one that is not UTF-8. A view, so the lines are stored once."""
    load_fast_lines(
        con, f"{name}_fast", [f for f in landing.fast if f.folder in folders], columns
    )
    load_exact_lines(
        con, f"{name}_exact", [(f, data) for f, data in landing.exact if f.folder in folders]
    )
    con.execute(f"""
        create or replace temp view {name} as
        with numbered as (
            select
                filename,
                rowid - min(rowid) over (partition by filename) + 1 as line_number,
                * exclude (filename)
            from {name}_fast
        ),
        exact as (
            select file_id, line_number, {columns} from {name}_exact
        )
        select f.file_id, f.folder, f.source_file, n.* exclude (filename)
        from numbered as n
        inner join landing_files as f on n.filename = f.path
        union all
        select f.file_id, f.folder, f.source_file, e.* exclude (file_id)
        from exact as e
        inner join landing_files as f on e.file_id = f.file_id
    """)


def count_lines(con: duckdb.DuckDBPyConnection, name: str) -> int:
    found = con.execute(
        f"select (select count(*) from {name}_fast) + (select count(*) from {name}_exact)"
    ).fetchone()
    return int(found[0]) if found else 0


# --------------------------------------------------------------------------
# The rules, as SQL macros shared by calls and views
# --------------------------------------------------------------------------

NUMERIC_TEXT = r"[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?"
ISO_8601 = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?"
)


def create_macros(con: duckdb.DuckDBPyConnection) -> None:
    """The JSON values come from json_extract, which writes them back as
    compact JSON text: the first character tells the type ('"' a string,
    '{' an object, '[' an array, '-' or a digit a number, 'n' null), so no
    value is parsed again (json_type would), except a string holding an
    escape."""
    macros = [
        """json_kind(j) as left(cast(j as varchar), 1)""",
        # A JSON string value as text (any other JSON: null).
        """json_str(j) as case when json_kind(j) = '"' then case
            when contains(cast(j as varchar), '\\') then j ->> '$'
            else substr(cast(j as varchar), 2, length(cast(j as varchar)) - 2)
        end end""",
        # A string's text, or a number's: what may read as a number.
        """json_scalar(j) as case when json_kind(j) = '"' then json_str(j)
            else cast(j as varchar) end""",
        # JSON text that is a number (json_extract writes no other text
        # starting with '-' or a digit).
        """json_is_number(j) as json_kind(j) in
            ('-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')""",
        """json_is_integer(j) as json_is_number(j)
            and not regexp_matches(cast(j as varchar), '[.eE]')""",
        # An id: a non-empty string, or a number stringified (1.0 -> '1').
        """json_id(j) as case
            when json_kind(j) = '"' then nullif(json_str(j), '')
            when json_is_integer(j) then cast(j as varchar)
            when json_is_number(j) then case
                when cast(j as double) = trunc(cast(j as double))
                    and abs(cast(j as double)) < 1e37
                    then cast(cast(cast(j as double) as hugeint) as varchar)
                else cast(cast(j as double) as varchar)
            end
        end""",
        # A JSON number or numeric string as a double.
        f"""json_double(j) as case
            when json_is_number(j) then cast(cast(j as varchar) as double)
            when json_kind(j) = '"' and regexp_full_match(json_str(j), '{NUMERIC_TEXT}')
                then cast(json_str(j) as double)
        end""",
        # Rule 1: microseconds since the epoch (ms from 1e11 up, else s).
        """epoch_micros(v) as round(case when v >= 100000000000 then v * 1000.0
            else v * 1000000.0 end)""",
        # A whole number within 32 bits (as reference.as_int32).
        """whole_int32(v) as case when v = floor(v) and abs(v) <= 2147483647
            then cast(v as integer) end""",
        # A total's value: exact for numeric strings and integers, through
        # a double for other JSON numbers (the documented limit), 4 places.
        f"""total_decimal(j) as round(case
            when json_kind(j) = '"' then case
                when regexp_full_match(json_str(j), '{NUMERIC_TEXT}')
                    then coalesce(try_cast(json_str(j) as decimal(38, 18)),
                        try_cast(cast(json_str(j) as double) as decimal(38, 18)))
            end
            when json_is_integer(j) then try_cast(cast(j as varchar) as decimal(38, 18))
            when json_is_number(j) then coalesce(
                try_cast(cast(cast(cast(j as varchar) as double) as varchar)
                    as decimal(38, 18)),
                try_cast(cast(cast(j as varchar) as double) as decimal(38, 18)))
        end, 4)""",
        # received_at: ISO-8601 as a whole, without an offset UTC.
        f"""iso_utc(t) as case when regexp_full_match(t, '{ISO_8601}')
            then cast(try_cast(t as timestamptz) as timestamp) end""",
    ]
    for macro in macros:
        con.execute(f"create or replace temp macro {macro}")


# --------------------------------------------------------------------------
# Call events: lines -> requests -> events -> checked, rejected, kept
# --------------------------------------------------------------------------


def stage_requests(con: duckdb.DuckDBPyConnection) -> None:
    """Each vendor line: its request's fields and the line-level reason."""
    con.execute("""
        create or replace temp table requests as
        with parsed as (
            select
                folder as vendor, source_file, line_number, line,
                case when json_valid(line) then json_extract(
                    line, ['$.tracking_id', '$.received_at', '$.body']
                ) end as f
            from call_lines
        ),
        fields as (
            select
                vendor, source_file, line_number, line,
                nullif(json_str(f[1]), '') as tracking_id,
                iso_utc(json_str(f[2])) as received_at,
                case json_kind(f[3])
                    when '"' then json_str(f[3])
                    when 'n' then null
                    else cast(f[3] as varchar)
                end as body
            from parsed
        ),
        bodies as (
            select
                *,
                case
                    when tracking_id is null or received_at is null or body is null
                        then 'invalid_line'
                end as line_reason,
                case
                    when tracking_id is not null and received_at is not null
                        and json_valid(body)
                        then json_extract(body, '$.events')
                end as events
            from fields
        ),
        reasons as (
            select
                *,
                coalesce(
                    line_reason,
                    case when coalesce(json_kind(events), '') != '['
                        then 'invalid_body' end
                ) as reason
            from bodies
        )
        -- The line is kept for the quarantine only, the events for good lines.
        select
            vendor, source_file, line_number, tracking_id, received_at, reason,
            case when reason is not null then line end as line,
            case when reason is null then events end as events
        from reasons
    """)


def stage_events(con: duckdb.DuckDBPyConnection, offline_prefixes: Sequence[str]) -> None:
    """Each event of a good request, with the first reject reason that applies."""
    offline = " or ".join(
        f"starts_with(lower(context_id), {sql_text(prefix.lower())})"
        for prefix in offline_prefixes
    ) or "false"
    con.execute(f"""
        create or replace temp table checked_events as
        with events as (
            select
                vendor, source_file, line_number, tracking_id, received_at,
                unnest(cast(events as json [])) as event,
                generate_subscripts(cast(events as json []), 1) - 1 as position
            from requests
            where reason is null
        ),
        fields as (
            select
                *,
                -- A JSON null element unnests as SQL null: not an object.
                coalesce(json_kind(event) = '{{', false) as is_object,
                json_extract(event, [
                    '$.context.id', '$.meta.type', '$.meta.ts', '$.meta.url',
                    '$.transaction.id', '$.basket.total', '$.package.total'
                ]) as f
            from events
        ),
        event_values as (
            select
                vendor, source_file, line_number, position, tracking_id, received_at,
                event, is_object,
                json_id(f[1]) as context_id,
                regexp_replace(json_str(f[2]), '^.*[.]', '') as event_type,
                json_double(f[3]) as ts_value,
                json_str(f[4]) as event_url,
                json_id(f[5]) as transaction_id,
                f[6] as basket_total,
                f[7] as package_total
            from fields
        ),
        typed as (
            select
                * exclude (ts_value, basket_total, package_total),
                epoch_micros(ts_value) as ts_micros,
                case when event_type = 'trPackageTransactionSummary'
                    then package_total else basket_total end as total
            from event_values
        ),
        totals as (
            select
                *,
                coalesce(json_kind(total), 'n') != 'n' as has_total,
                case when json_kind(total) = '{{'
                    then json_extract(total, ['$.value', '$.currency']) end as t
            from typed
        ),
        valued as (
            select
                * exclude (t),
                total_decimal(t[1]) as total_rounded,
                case when regexp_full_match(json_str(t[2]), '[A-Za-z]{{3}}')
                    then upper(json_str(t[2])) end as total_currency
            from totals
        )
        select
            * exclude (total, total_rounded),
            case when has_total and abs(total_rounded) < 100000000000000
                then cast(total_rounded as decimal(18, 4)) end as total_value,
            case
                when not is_object then 'invalid_event'
                when context_id is null then 'missing_context_id'
                when event_type is null or event_type not in (
                    'ecBasketTransactionSummary', 'trPackageTransactionSummary',
                    'fiBasketTransactionSummary'
                ) then 'unknown_event_type'
                when ts_micros is null
                    or ts_micros < 946684800000000
                    or ts_micros > epoch_us(received_at) + 86400000000
                    then 'invalid_ts'
                when has_total and (
                    total_rounded is null
                    or abs(total_rounded) >= 100000000000000
                    or total_currency is null
                ) then 'invalid_total'
            end as reason,
            coalesce(vendor = 'responsetap' and ({offline}), false) as is_offline
        from valued
    """)


def build_rejected(con: duckdb.DuckDBPyConnection) -> None:
    """call_events_rejected: bad lines with the line, bad events with the event."""
    con.execute(f"""
        create or replace table call_events_rejected as
        select
            vendor,
            case when reason = 'invalid_line' then null else tracking_id end as tracking_id,
            source_file,
            cast(line_number as integer) as line_number,
            cast(null as integer) as event_index,
            reason,
            coalesce(line, {sql_text(INVALID_UTF8_RAW)}) as raw
        from requests
        where reason is not null
        union all
        select
            vendor, tracking_id, source_file, cast(line_number as integer),
            cast(position as integer), reason,
            coalesce(cast(event as varchar), 'null')
        from checked_events
        where reason is not null
    """)
    # A bad line's property, best effort, when the line names one.
    con.execute("""
        update call_events_rejected
        set tracking_id = nullif(json_str(json_extract(raw, '$.tracking_id')), '')
        where reason = 'invalid_line' and json_valid(raw)
    """)


def deduplicate_events(con: duckdb.DuckDBPyConnection) -> None:
    """Rule 4: one event per key; the first received is kept (ties: file,
    line, position)."""
    con.execute("""
        create or replace temp table kept_events as
        select
            vendor, source_file, line_number, position, tracking_id, event_type,
            transaction_id, context_id, make_timestamp(cast(ts_micros as bigint)) as event_ts,
            event_url, received_at, total_value,
            case when total_value is not null then total_currency end as total_currency,
            is_offline
        from checked_events
        where reason is null
        qualify row_number() over (
            partition by
                tracking_id, vendor, event_type, transaction_id,
                case when transaction_id is null then context_id end,
                case when transaction_id is null then ts_micros end,
                case when transaction_id is null then event_url end,
                case when transaction_id is null then total_value end,
                case when transaction_id is null then total_currency end
            order by received_at, source_file, line_number, position
        ) = 1
    """)


# --------------------------------------------------------------------------
# Views (rule 7) and the match (rule 5)
# --------------------------------------------------------------------------


def stage_views(con: duckdb.DuckDBPyConnection) -> None:
    """view_keys: the view lines usable for matching (rule 7), their keys and
    the page details still as JSON (decoded for callers' views only)."""
    con.execute("""
        create or replace temp table view_keys as
        with numbers as (
            -- Each macro on a column of its own step: a macro's argument is
            -- repeated where it is used, so nesting them repeats the work.
            select
                file_id, source_file, line_number,
                nullif(json_str(f[1]), '') as tracking_id,
                json_id(f[2]) as context_id,
                json_double(f[3]) as view_number_value,
                json_double(f[4]) as ts_value,
                f[5] as url_json, f[6] as session_json, f[7] as type_json
            from view_lines
        ),
        fields as (
            select
                file_id, source_file, line_number, tracking_id, context_id,
                whole_int32(view_number_value) as view_number,
                epoch_micros(ts_value) as ts_micros,
                url_json, session_json, type_json
            from numbers
        )
        select * from fields
        where
            tracking_id is not null and context_id is not null
            and view_number is not null
            and ts_micros >= 946684800000000 and ts_micros < 4102444800000000
    """)


def callers_views(con: duckdb.DuckDBPyConnection) -> None:
    """The views of callers (tracking id and context id of an online kept
    call), the earliest copy of each (ties: file, line), with the page
    details decoded."""
    con.execute("""
        create or replace temp table caller_views as
        with callers as (
            select distinct tracking_id, context_id from kept_events where not is_offline
        ),
        earliest as (
            select k.*
            from view_keys as k
            semi join callers as c
                on k.tracking_id = c.tracking_id and k.context_id = c.context_id
            qualify row_number() over (
                partition by k.tracking_id, k.context_id, k.view_number
                order by k.ts_micros, k.source_file, k.line_number
            ) = 1
        ),
        details as (
            select
                *,
                make_timestamp(cast(ts_micros as bigint)) as view_ts,
                json_str(url_json) as view_url,
                json_double(session_json) as session_value,
                json_str(type_json) as page_type
            from earliest
        )
        select
            tracking_id, context_id, view_number, view_ts, view_url,
            whole_int32(session_value) as session_number,
            page_type
        from details
    """)


def match_events(con: duckdb.DuckDBPyConnection, window_minutes: float) -> None:
    """Rule 5: the latest view at or before the call (ties: higher viewNumber),
    if at most the window before it, to the microsecond; offline never."""
    window_micros = round(window_minutes * 60_000_000)
    con.execute(f"""
        create or replace temp table matched_events as
        with nearest as (
            select
                e.*,
                v.view_number, v.view_ts, v.view_url, v.session_number, v.page_type
            from kept_events as e
            asof left join caller_views as v
                on
                    e.tracking_id = v.tracking_id
                    and e.context_id = v.context_id
                    and {{'ts': e.event_ts, 'n': 2147483647}}
                    >= {{'ts': v.view_ts, 'n': v.view_number}}
        )
        select
            * exclude (view_number, view_ts, view_url, session_number, page_type),
            coalesce(
                not is_offline
                and epoch_us(event_ts) - epoch_us(view_ts) <= {window_micros},
                false
            ) as is_matched,
            view_number, view_ts, view_url, session_number, page_type
        from nearest
    """)


# --------------------------------------------------------------------------
# The contract's relations
# --------------------------------------------------------------------------


def build_marts(con: duckdb.DuckDBPyConnection) -> None:
    for event_type, mart in MARTS.items():
        con.execute(f"""
            create or replace table {mart} as
            select
                md5(source_file || ':' || line_number || ':' || position) as event_id,
                tracking_id, vendor, event_type, transaction_id, context_id,
                event_ts, event_url, received_at, total_value, total_currency,
                is_offline, is_matched,
                case when is_matched then context_id || '-' || view_number end as view_id,
                case when is_matched then view_ts end as view_ts,
                case when is_matched then view_url end as view_url,
                case when is_matched then view_number end as view_number,
                case when is_matched then session_number end as session_number,
                case when is_matched then page_type end as page_type
            from matched_events
            where event_type = {sql_text(event_type)}
        """)


def build_match_rates(con: duckdb.DuckDBPyConnection) -> None:
    union = " union all ".join(
        f"select event_ts, tracking_id, vendor, event_type, is_offline, is_matched "
        f"from {mart}"
        for mart in MARTS.values()
    )
    con.execute(f"""
        create or replace table call_match_rates as
        with counted as (
            select
                cast(event_ts as date) as event_date, tracking_id, vendor, event_type,
                cast(count(*) as integer) as events,
                cast(count(*) filter (where is_offline) as integer) as offline_events,
                cast(count(*) filter (where not is_offline) as integer) as online_events,
                cast(count(*) filter (where is_matched) as integer) as matched_events
            from ({union})
            group by all
        )
        select
            *,
            cast(matched_events as double) / events as match_rate,
            case when online_events > 0
                then cast(matched_events as double) / online_events end as online_match_rate
        from counted
    """)


def build_unreadable(con: duckdb.DuckDBPyConnection, unreadable: list[tuple[str, str]]) -> None:
    con.execute(
        "create or replace table landing_files_unreadable (source_file varchar, error varchar)"
    )
    if unreadable:
        con.executemany("insert into landing_files_unreadable values (?, ?)", unreadable)


# --------------------------------------------------------------------------
# The program
# --------------------------------------------------------------------------


def build(
    landing_dir: str | Path,
    offline_prefixes: Sequence[str] = OFFLINE_PREFIXES,
    match_window_minutes: float = MATCH_WINDOW_MINUTES,
) -> PlainResult:
    """Every contract relation for the folder, in a new in-memory database."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[name] = round(now - started, 3)
        started = now

    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("set preserve_insertion_order = true")
    create_macros(con)
    landing = scan_landing(str(landing_dir))
    lap("scan_files")
    load_files_table(con, landing)
    load_lines(con, "call_lines", VENDOR_FOLDERS, landing, CALL_LINE_COLUMNS)
    load_lines(con, "view_lines", (VIEW_FOLDER,), landing, VIEW_LINE_COLUMNS)
    lap("read_lines")
    stage_requests(con)
    stage_events(con, offline_prefixes)
    build_rejected(con)
    lap("check_events")
    deduplicate_events(con)
    lap("deduplicate")
    stage_views(con)
    callers_views(con)
    lap("views")
    match_events(con, match_window_minutes)
    lap("match")
    build_marts(con)
    build_match_rates(con)
    build_unreadable(con, landing.unreadable)
    lap("relations")
    view_lines = count_lines(con, "view_lines")
    usable = count_rows(con, "view_keys")
    return PlainResult(
        con=con,
        unreadable=landing.unreadable,
        files_fast=len(landing.fast),
        files_exact=len(landing.exact),
        view_lines=int(view_lines),
        view_lines_unusable=int(view_lines) - int(usable),
        seconds=seconds,
    )


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    found = con.execute(f"select count(*) from {table}").fetchone()
    return int(found[0]) if found else 0


def daily_rows(con: duckdb.DuckDBPyConnection) -> list[DailyRow]:
    rows = con.execute("""
        select strftime(event_date, '%Y-%m-%d'), tracking_id, vendor, event_type,
            events, offline_events, online_events, matched_events
        from call_match_rates order by all
    """).fetchall()
    return [
        (str(d), str(t), str(v), str(e), int(n), int(off), int(on), int(m))
        for d, t, v, e, n, off, on, m in rows
    ]


def run(landing_dir: str | Path) -> dict[str, Any]:
    """The benchmark's counts (scripts/daily_counts.py) for the folder."""
    started = time.perf_counter()
    result = build(landing_dir)
    daily = daily_rows(result.con)
    rejected = result.con.execute(
        "select reason, count(*) from call_events_rejected group by all order by all"
    ).fetchall()
    result.con.close()
    return counts_from_daily(
        daily,
        engine_seconds=time.perf_counter() - started,
        stage_seconds=result.seconds,
        rejected={reason: int(count) for reason, count in rejected},
        view_lines=result.view_lines,
        view_lines_unusable=result.view_lines_unusable,
        files_fast=result.files_fast,
        files_exact=result.files_exact,
        unreadable_files=[list(item) for item in result.unreadable],
    )


def main(argv: Sequence[str] | None = None) -> int:
    return counts_main(
        argv, prog="plain_duckdb.py", description=__doc__, run=run, label="plain DuckDB"
    )


if __name__ == "__main__":
    sys.exit(main())
