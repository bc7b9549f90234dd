"""Reference implementation of the call-tracking contract, in plain Python.

Independent of the dbt models on purpose: no SQL, no DuckDB, only the json
module, so that the integration tests compare the warehouse against a second,
separately written reading of the interface (docs/interface.md and the rules).

Given a landing folder it computes what the warehouse must hold:

* the three TransactionSummary marts (rows keyed by the contract's columns),
* ``call_events_rejected`` (vendor, tracking_id, source_file, reason, raw),
* the events counted as duplicates (rule 4),
* the view lines not usable for matching (rule 7),
* ``call_match_rates``,
* ``call_sessions`` and ``call_conversions_daily`` (section 3b).

Decisions where the contract is silent (the project's decisions, mirrored here):

* A transaction id that is an empty string counts as absent.
* ``context.id`` / ``transaction.id`` given as JSON numbers are stringified
  (123 -> "123"); other non-string values count as absent.
* ``body`` must be a JSON string holding JSON; a ``body`` that is itself a JSON
  object is used as is; any other non-null ``body`` is ``invalid_body``.
* ``received_at`` must start with ``YYYY-MM-DD`` and parse as ISO-8601; no
  offset means UTC, an offset is converted to UTC.
* A view's time is valid when numeric and in [2000-01-01, 2100-01-01).
* ``total_value`` is rounded to 4 decimals (half away from zero).
* A ``total`` that is present but not an object, or lacks value or currency
  (or has them null), is ``invalid_total``.
* ``tracking_id`` on a vendor line must be a non-empty JSON string.
* A total currency must be a JSON string of exactly 3 letters A-Z, any case.

Run as a script to print everything for a landing folder:

    python tests/integration/reference.py data/sample_landing
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import os
import re
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

VENDOR_FOLDERS = ("responsetap", "infinity")
VIEW_FOLDER = "views"
LANDING_SUFFIXES = (".ndjson", ".ndjson.gz")

EVENT_TYPES = (
    "ecBasketTransactionSummary",
    "trPackageTransactionSummary",
    "fiBasketTransactionSummary",
)
# Each event type's mart (contract section 3) and where its total sits (1a).
MART_OF_TYPE = {
    "ecBasketTransactionSummary": "ec_basket_transaction_summary",
    "trPackageTransactionSummary": "tr_package_transaction_summary",
    "fiBasketTransactionSummary": "fi_basket_transaction_summary",
}
TOTAL_PARENT_OF_TYPE = {
    "ecBasketTransactionSummary": "basket",
    "trPackageTransactionSummary": "package",
    "fiBasketTransactionSummary": "basket",
}
MARTS = tuple(MART_OF_TYPE.values())

# Columns of a TransactionSummary mart compared by the tests (event_id is the
# project's own design, only checked for uniqueness).
MART_COLUMNS = (
    "tracking_id",
    "vendor",
    "event_type",
    "transaction_id",
    "context_id",
    "event_ts",
    "event_url",
    "received_at",
    "total_value",
    "total_currency",
    "is_offline",
    "is_matched",
    "view_id",
    "view_ts",
    "view_url",
    "view_number",
    "session_number",
    "page_type",
)
MATCH_RATE_COLUMNS = (
    "event_date",
    "tracking_id",
    "vendor",
    "event_type",
    "events",
    "offline_events",
    "online_events",
    "matched_events",
    "match_rate",
    "online_match_rate",
)

# Section 3b: the columns of call_sessions and call_conversions_daily.
SESSION_COLUMNS = (
    "tracking_id",
    "context_id",
    "session_number",
    "session_start",
    "session_end",
    "session_date",
    "views",
    "entry_view_id",
    "entry_url",
    "entry_page_type",
    "calls",
    "phone_orders",
    "first_call_ts",
    "seconds_to_first_call",
    "is_converted",
)
CONVERSION_COLUMNS = (
    "session_date",
    "tracking_id",
    "entry_page_type",
    "sessions",
    "converted_sessions",
    "calls",
    "phone_orders",
    "phone_conversion_rate",
)

REJECT_REASONS = (
    "invalid_line",
    "invalid_body",
    "invalid_event",
    "missing_context_id",
    "unknown_event_type",
    "invalid_ts",
    "invalid_total",
)

# Rule 1: 1e11 or more is milliseconds, below that seconds.
MS_THRESHOLD = Decimal(100_000_000_000)
EPOCH = dt.datetime(1970, 1, 1)
MIN_EVENT_TS = dt.datetime(2000, 1, 1)
MAX_VIEW_TS = dt.datetime(2100, 1, 1)
# Bounds beyond which a numeric time cannot be a datetime at all (year 9999).
MAX_MICROS = int((dt.datetime(9999, 12, 31) - EPOCH).total_seconds()) * 1_000_000
TS_PLAUSIBLE_AFTER_RECEIVED = dt.timedelta(days=1)
# DECIMAL(18,4) holds at most 14 integer digits.
MAX_TOTAL_VALUE = Decimal(10) ** 14
INT32_MAX = 2**31 - 1

NUMERIC_STRING = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# ISO-8601 as a whole: date, then optionally a time with fraction and offset.
ISO_8601 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?"
)
CURRENCY = re.compile(r"^[A-Za-z]{3}$")


@dataclass(frozen=True)
class Line:
    """One line of a landing file; ``text`` is None when it is not UTF-8."""

    folder: str
    source_file: str
    line_number: int
    text: str | None


@dataclass(frozen=True)
class Rejected:
    vendor: str
    tracking_id: str | None
    source_file: str
    line_number: int
    reason: str
    raw: str


@dataclass(frozen=True)
class CallEvent:
    """An event that passed every check (before dedup and matching)."""

    tracking_id: str
    vendor: str
    event_type: str
    transaction_id: str | None
    context_id: str
    event_ts: dt.datetime
    event_url: str | None
    received_at: dt.datetime
    total_value: Decimal | None
    total_currency: str | None
    is_offline: bool
    source_file: str
    line_number: int
    position: int

    def first_received_key(self) -> tuple[dt.datetime, str, int, int]:
        """Rule 4's order: received first, then file path, line, position."""
        return (self.received_at, self.source_file, self.line_number, self.position)

    def dedup_key(self) -> tuple[Any, ...]:
        """Rule 4: which events are one event."""
        base = (self.tracking_id, self.vendor, self.event_type)
        if self.transaction_id is not None:
            return (*base, "txn", self.transaction_id)
        return (
            *base,
            "content",
            self.context_id,
            self.event_ts,
            self.event_url,
            self.total_value,
            self.total_currency,
        )


@dataclass(frozen=True)
class View:
    tracking_id: str
    context_id: str
    view_number: int
    view_ts: dt.datetime
    view_url: str | None
    session_number: int | None
    page_type: str | None
    source_file: str
    line_number: int

    @property
    def view_id(self) -> str:
        return f"{self.context_id}-{self.view_number}"


@dataclass(frozen=True)
class UnusableView:
    """A view line rule 7 keeps out of matching, with why."""

    source_file: str
    line_number: int
    problem: str


@dataclass
class Result:
    marts: dict[str, list[dict[str, Any]]]
    rejected: list[Rejected]
    duplicates: list[CallEvent]
    views_used: list[View]
    views_resent: int
    unusable_views: list[UnusableView]
    call_match_rates: list[dict[str, Any]]
    lines_read: Counter[str] = field(default_factory=Counter)
    call_sessions: list[dict[str, Any]] = field(default_factory=list)
    call_conversions_daily: list[dict[str, Any]] = field(default_factory=list)

    def rejected_counts(self) -> Counter[tuple[str, str]]:
        return Counter((row.vendor, row.reason) for row in self.rejected)

    def duplicate_counts(self) -> Counter[str]:
        return Counter(event.vendor for event in self.duplicates)


# --------------------------------------------------------------------------
# Reading the landing folder (contract section 1)
# --------------------------------------------------------------------------


def list_landing_files(landing_dir: str, folder: str) -> list[str]:
    """Landing files under one top folder, relative to landing_dir, as the OS names them."""
    found: list[str] = []
    for root, _dirs, files in os.walk(os.path.join(landing_dir, folder)):
        for name in files:
            if name.endswith(LANDING_SUFFIXES):
                found.append(os.path.relpath(os.path.join(root, name), landing_dir))
    return sorted(found, key=display_path)


def display_path(relative: str) -> str:
    """source_file: '/'-joined, a name's bytes that are not UTF-8 as \\xNN."""
    raw = relative.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace").replace(os.sep, "/")


def read_whole(landing_dir: str, relative: str) -> bytes | None:
    """The file's bytes (gunzipped), or None when it cannot be read whole
    (contract section 1): not used at all."""
    path = os.path.join(landing_dir, relative)
    root = os.path.realpath(landing_dir)
    if os.path.commonpath([root, os.path.realpath(path)]) != root:
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if not relative.endswith(".gz"):
        return data
    stream = zlib.decompressobj(wbits=31)
    try:
        text = stream.decompress(data) + stream.flush()
    except zlib.error:
        return None
    return text if stream.eof and not stream.unused_data else None


def split_lines(data: bytes) -> list[bytes]:
    """Split on b"\\n"; a final b"\\n" ends the last line, it starts no new one."""
    if not data:
        return []
    if data.endswith(b"\n"):
        data = data[:-1]
    return data.split(b"\n")


def read_lines(landing_dir: str, folder: str) -> Iterator[Line]:
    for relative in list_landing_files(landing_dir, folder):
        data = read_whole(landing_dir, relative)
        if data is None:
            continue
        for number, raw in enumerate(split_lines(data), start=1):
            try:
                text: str | None = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            yield Line(folder, display_path(relative), number, text)


# --------------------------------------------------------------------------
# Value parsing shared by calls and views
# --------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    # Python's json accepts NaN/Infinity; JSON (and the warehouse) does not.
    raise ValueError(f"not JSON: {name}")


def parse_json(text: str) -> tuple[bool, Any]:
    """(ok, value) of strict JSON text."""
    try:
        return True, json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return False, None


def is_number(value: Any) -> bool:
    # bool is an int in Python but not a number in JSON.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def as_decimal(value: Any) -> Decimal | None:
    """A JSON number or numeric string as an exact Decimal, else None."""
    if is_number(value):
        return Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if isinstance(value, str) and NUMERIC_STRING.match(value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return None


def as_id(value: Any) -> str | None:
    """An id: a non-empty string, or a number stringified; else absent."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return None


def as_int32(value: Any) -> int | None:
    """An integral JSON number or numeric string that fits in 32 bits."""
    number = as_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    if abs(number) > INT32_MAX:
        return None
    return int(number)


def epoch_to_datetime(value: Any) -> dt.datetime | None:
    """Rule 1: a numeric unix time (s below 1e11, else ms) as naive UTC."""
    number = as_decimal(value)
    if number is None:
        return None
    millis = number if number >= MS_THRESHOLD else number * 1000
    micros = int((millis * 1000).to_integral_value(rounding=ROUND_HALF_UP))
    if abs(micros) > MAX_MICROS:
        return None
    return EPOCH + dt.timedelta(microseconds=micros)


def parse_received_at(value: Any) -> dt.datetime | None:
    """ISO-8601 as a whole (README); no offset is UTC; returned as naive UTC."""
    if not isinstance(value, str) or not ISO_8601.fullmatch(value):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def get_path(obj: Any, *keys: str) -> Any:
    """obj[k1][k2]... or None when any step is missing or not an object."""
    for key in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def strip_namespace(event_type: str) -> str:
    """Rule 2: everything up to the last '.' is a namespace."""
    return event_type.rsplit(".", 1)[-1]


def as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# --------------------------------------------------------------------------
# Vendor lines -> events or rejects (section 1a, reject table)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedLine:
    tracking_id: str
    received_at: dt.datetime
    body: Any


def line_tracking_id(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_vendor_line(line: Line) -> ParsedLine | None:
    """The line's request, or None when the line is ``invalid_line``."""
    if line.text is None:
        return None
    ok, obj = parse_json(line.text)
    if not ok or not isinstance(obj, dict):
        return None
    tracking_id = line_tracking_id(obj.get("tracking_id"))
    received_at = parse_received_at(obj.get("received_at"))
    body = obj.get("body")
    if tracking_id is None or received_at is None or body is None:
        return None
    return ParsedLine(tracking_id, received_at, body)


def body_events(body: Any) -> list[Any] | None:
    """The ``events`` array of a body, or None when it is ``invalid_body``."""
    if isinstance(body, str):
        ok, body = parse_json(body)
        if not ok:
            return None
    if not isinstance(body, dict):
        return None
    events = body.get("events")
    return events if isinstance(events, list) else None


def is_plausible_event_ts(ts: dt.datetime, received_at: dt.datetime) -> bool:
    return MIN_EVENT_TS <= ts <= received_at + TS_PLAUSIBLE_AFTER_RECEIVED


def parse_total(total: Any) -> tuple[bool, Decimal | None, str | None]:
    """(valid, value, currency) of a total; an absent/null total is valid."""
    if total is None:
        return True, None, None
    if not isinstance(total, dict):
        return False, None, None
    value = as_decimal(total.get("value"))
    currency = total.get("currency")
    if value is None or not isinstance(currency, str) or not CURRENCY.match(currency):
        return False, None, None
    rounded = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if abs(rounded) >= MAX_TOTAL_VALUE:
        return False, None, None
    return True, rounded, currency.upper()


def is_offline(vendor: str, context_id: str, offline_prefixes: Iterable[str]) -> bool:
    """Rule 3: only ResponseTap has offline calls; prefixes case-insensitive."""
    if vendor != "responsetap":
        return False
    lowered = context_id.lower()
    return any(lowered.startswith(prefix.lower()) for prefix in offline_prefixes)


def check_event(
    event: Any,
    vendor: str,
    request: ParsedLine,
    offline_prefixes: tuple[str, ...],
    where: tuple[str, int, int],
) -> CallEvent | str:
    """A valid event, or the first reject reason that applies (table order)."""
    if not isinstance(event, dict):
        return "invalid_event"
    context_id = as_id(get_path(event, "context", "id"))
    if context_id is None:
        return "missing_context_id"
    raw_type = get_path(event, "meta", "type")
    event_type = strip_namespace(raw_type) if isinstance(raw_type, str) else None
    if event_type not in EVENT_TYPES:
        return "unknown_event_type"
    event_ts = epoch_to_datetime(get_path(event, "meta", "ts"))
    if event_ts is None or not is_plausible_event_ts(event_ts, request.received_at):
        return "invalid_ts"
    total = get_path(event, TOTAL_PARENT_OF_TYPE[event_type], "total")
    valid_total, total_value, total_currency = parse_total(total)
    if not valid_total:
        return "invalid_total"
    source_file, line_number, position = where
    return CallEvent(
        tracking_id=request.tracking_id,
        vendor=vendor,
        event_type=event_type,
        transaction_id=as_id(get_path(event, "transaction", "id")),
        context_id=context_id,
        event_ts=event_ts,
        event_url=as_text(get_path(event, "meta", "url")),
        received_at=request.received_at,
        total_value=total_value,
        total_currency=total_currency,
        is_offline=is_offline(vendor, context_id, offline_prefixes),
        source_file=source_file,
        line_number=line_number,
        position=position,
    )


def raw_of(line: Line) -> str:
    return line.text if line.text is not None else "<invalid utf-8>"


def read_call_events(
    landing_dir: str, offline_prefixes: tuple[str, ...]
) -> tuple[list[CallEvent], list[Rejected], Counter[str]]:
    """Every event of every vendor line: valid events and rejects."""
    events: list[CallEvent] = []
    rejected: list[Rejected] = []
    lines_read: Counter[str] = Counter()
    for vendor in VENDOR_FOLDERS:
        for line in read_lines(landing_dir, vendor):
            lines_read[vendor] += 1
            request = parse_vendor_line(line)
            if request is None:
                rejected.append(_line_reject(line, vendor, "invalid_line"))
                continue
            items = body_events(request.body)
            if items is None:
                rejected.append(
                    _line_reject(line, vendor, "invalid_body", request.tracking_id)
                )
                continue
            for position, item in enumerate(items):
                where = (line.source_file, line.line_number, position)
                checked = check_event(item, vendor, request, offline_prefixes, where)
                if isinstance(checked, str):
                    rejected.append(
                        Rejected(
                            vendor,
                            request.tracking_id,
                            line.source_file,
                            line.line_number,
                            checked,
                            json.dumps(item),
                        )
                    )
                else:
                    events.append(checked)
    return events, rejected, lines_read


def _line_reject(
    line: Line, vendor: str, reason: str, tracking_id: str | None = None
) -> Rejected:
    if tracking_id is None and line.text is not None:
        # Best effort: name the property when the line says which it is.
        ok, obj = parse_json(line.text)
        if ok and isinstance(obj, dict):
            tracking_id = line_tracking_id(obj.get("tracking_id"))
    return Rejected(
        vendor, tracking_id, line.source_file, line.line_number, reason, raw_of(line)
    )


def deduplicate(events: list[CallEvent]) -> tuple[list[CallEvent], list[CallEvent]]:
    """Rule 4: (kept, duplicates); the first received of each group is kept."""
    groups: dict[tuple[Any, ...], list[CallEvent]] = defaultdict(list)
    for event in events:
        groups[event.dedup_key()].append(event)
    kept: list[CallEvent] = []
    duplicates: list[CallEvent] = []
    for members in groups.values():
        members.sort(key=CallEvent.first_received_key)
        kept.append(members[0])
        duplicates.extend(members[1:])
    return kept, duplicates


# --------------------------------------------------------------------------
# Views (section 1b, rule 7)
# --------------------------------------------------------------------------


def parse_view_line(line: Line) -> View | UnusableView:
    def unusable(problem: str) -> UnusableView:
        return UnusableView(line.source_file, line.line_number, problem)

    if line.text is None:
        return unusable("invalid_utf8")
    ok, obj = parse_json(line.text)
    if not ok or not isinstance(obj, dict):
        return unusable("invalid_line")
    tracking_id = as_text(get_path(obj, "meta", "trackingId")) or None
    if tracking_id is None:
        return unusable("missing_tracking_id")
    context_id = as_id(get_path(obj, "context", "id"))
    if context_id is None:
        return unusable("missing_context_id")
    view_number = as_int32(get_path(obj, "context", "viewNumber"))
    if view_number is None:
        return unusable("missing_view_number")
    view_ts = epoch_to_datetime(get_path(obj, "meta", "ts"))
    if view_ts is None or not MIN_EVENT_TS <= view_ts < MAX_VIEW_TS:
        return unusable("invalid_ts")
    return View(
        tracking_id=tracking_id,
        context_id=context_id,
        view_number=view_number,
        view_ts=view_ts,
        view_url=as_text(get_path(obj, "meta", "url")),
        session_number=as_int32(get_path(obj, "context", "sessionNumber")),
        page_type=as_text(obj.get("type")),
        source_file=line.source_file,
        line_number=line.line_number,
    )


def read_views(landing_dir: str) -> tuple[list[View], int, list[UnusableView], int]:
    """(deduplicated views, re-sent copies dropped, unusable lines, lines read)."""
    earliest: dict[tuple[str, str, int], View] = {}
    unusable: list[UnusableView] = []
    resent = 0
    lines_read = 0
    for line in read_lines(landing_dir, VIEW_FOLDER):
        lines_read += 1
        parsed = parse_view_line(line)
        if isinstance(parsed, UnusableView):
            unusable.append(parsed)
            continue
        key = (parsed.tracking_id, parsed.context_id, parsed.view_number)
        current = earliest.get(key)
        if current is not None:
            resent += 1
        # Earliest meta.ts wins; equal times fall back to file order, line.
        if current is None or _view_order(parsed) < _view_order(current):
            earliest[key] = parsed
    return list(earliest.values()), resent, unusable, lines_read


def _view_order(view: View) -> tuple[dt.datetime, str, int]:
    return (view.view_ts, view.source_file, view.line_number)


# --------------------------------------------------------------------------
# Matching (rule 5) and the marts (section 3)
# --------------------------------------------------------------------------


class ViewIndex:
    """Views per (tracking id, context id), ordered by (view_ts, viewNumber)."""

    def __init__(self, views: Iterable[View]) -> None:
        grouped: dict[tuple[str, str], list[View]] = defaultdict(list)
        for view in views:
            grouped[(view.tracking_id, view.context_id)].append(view)
        self._keys: dict[tuple[str, str], list[tuple[dt.datetime, int]]] = {}
        self._views: dict[tuple[str, str], list[View]] = {}
        for key, members in grouped.items():
            members.sort(key=lambda view: (view.view_ts, view.view_number))
            self._views[key] = members
            self._keys[key] = [(v.view_ts, v.view_number) for v in members]

    def latest_at_or_before(
        self, tracking_id: str, context_id: str, ts: dt.datetime
    ) -> View | None:
        """Latest view time <= ts; among equal times the higher viewNumber."""
        key = (tracking_id, context_id)
        order = self._keys.get(key)
        if not order:
            return None
        index = bisect.bisect_right(order, (ts, INT32_MAX + 1))
        return self._views[key][index - 1] if index else None


def match(event: CallEvent, views: ViewIndex, window: dt.timedelta) -> View | None:
    """Rule 5: offline never matches; the latest view, if within the window."""
    if event.is_offline:
        return None
    view = views.latest_at_or_before(event.tracking_id, event.context_id, event.event_ts)
    if view is None or event.event_ts - view.view_ts > window:
        return None
    return view


def mart_row(event: CallEvent, view: View | None) -> dict[str, Any]:
    return {
        "tracking_id": event.tracking_id,
        "vendor": event.vendor,
        "event_type": event.event_type,
        "transaction_id": event.transaction_id,
        "context_id": event.context_id,
        "event_ts": event.event_ts,
        "event_url": event.event_url,
        "received_at": event.received_at,
        "total_value": event.total_value,
        "total_currency": event.total_currency,
        "is_offline": event.is_offline,
        "is_matched": view is not None,
        "view_id": view.view_id if view else None,
        "view_ts": view.view_ts if view else None,
        "view_url": view.view_url if view else None,
        "view_number": view.view_number if view else None,
        "session_number": view.session_number if view else None,
        "page_type": view.page_type if view else None,
    }


def match_rates(marts: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """call_match_rates: per UTC event date, tracking id, vendor, event type."""
    counts: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for rows in marts.values():
        for row in rows:
            key = (
                row["event_ts"].date(),
                row["tracking_id"],
                row["vendor"],
                row["event_type"],
            )
            counts[key]["events"] += 1
            counts[key]["offline_events"] += row["is_offline"]
            counts[key]["online_events"] += not row["is_offline"]
            counts[key]["matched_events"] += row["is_matched"]
    result = []
    for key in sorted(counts):
        count = counts[key]
        online = count["online_events"]
        result.append(
            dict(
                zip(MATCH_RATE_COLUMNS[:4], key, strict=False),
                events=count["events"],
                offline_events=count["offline_events"],
                online_events=online,
                matched_events=count["matched_events"],
                match_rate=count["matched_events"] / count["events"],
                online_match_rate=count["matched_events"] / online if online else None,
            )
        )
    return result

# --------------------------------------------------------------------------
# Calls as conversions (section 3b)
# --------------------------------------------------------------------------


def sessions_of(
    views: Iterable[View], marts: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """call_sessions: the views (each once, at its earliest time) that carry
    a sessionNumber, grouped by tracking id, context id and sessionNumber;
    a session's calls are the kept online events whose matched view is one
    of its views (the matched view is the event's tracking id, context id
    and viewNumber: the match never crosses visitors)."""
    members: dict[tuple[str, str, int], list[View]] = defaultdict(list)
    session_of_view: dict[tuple[str, str, int], tuple[str, str, int]] = {}
    for view in views:
        if view.session_number is None:
            continue
        session = (view.tracking_id, view.context_id, view.session_number)
        members[session].append(view)
        session_of_view[(view.tracking_id, view.context_id, view.view_number)] = (
            session
        )
    calls: dict[tuple[str, str, int], list[dict[str, Any]]] = defaultdict(list)
    for rows in marts.values():
        for row in rows:
            if row["is_offline"] or not row["is_matched"]:
                continue
            viewed = (row["tracking_id"], row["context_id"], row["view_number"])
            session = session_of_view.get(viewed)
            if session is not None:
                calls[session].append(row)
    result = []
    for session in sorted(members):
        session_views = members[session]
        entry = min(session_views, key=lambda view: (view.view_ts, view.view_number))
        start = min(view.view_ts for view in session_views)
        session_calls = calls.get(session, [])
        first_call = min((row["event_ts"] for row in session_calls), default=None)
        result.append(
            {
                "tracking_id": session[0],
                "context_id": session[1],
                "session_number": session[2],
                "session_start": start,
                "session_end": max(view.view_ts for view in session_views),
                "session_date": start.date(),
                "views": len(session_views),
                "entry_view_id": entry.view_id,
                "entry_url": entry.view_url,
                "entry_page_type": entry.page_type,
                "calls": len(session_calls),
                "phone_orders": sum(
                    row["total_value"] is not None for row in session_calls
                ),
                "first_call_ts": first_call,
                "seconds_to_first_call": (
                    (first_call - start).total_seconds() if first_call else None
                ),
                "is_converted": bool(session_calls),
            }
        )
    return result


def conversions_daily(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """call_conversions_daily: per session date, tracking id and entry page
    type (None is a group of its own)."""
    counts: dict[tuple[Any, ...], Counter[str]] = defaultdict(Counter)
    for row in sessions:
        key = (row["session_date"], row["tracking_id"], row["entry_page_type"])
        counts[key]["sessions"] += 1
        counts[key]["converted_sessions"] += row["is_converted"]
        counts[key]["calls"] += row["calls"]
        counts[key]["phone_orders"] += row["phone_orders"]
    result = []
    for key, count in counts.items():
        result.append(
            dict(
                zip(CONVERSION_COLUMNS[:3], key, strict=True),
                sessions=count["sessions"],
                converted_sessions=count["converted_sessions"],
                calls=count["calls"],
                phone_orders=count["phone_orders"],
                phone_conversion_rate=count["converted_sessions"] / count["sessions"],
            )
        )
    return result


def build(
    landing_dir: str,
    offline_prefixes: Iterable[str] = ("gbr0", "clarity"),
    match_window_minutes: float = 30,
) -> Result:
    """Everything the contract says the warehouse holds for this folder."""
    prefixes = tuple(offline_prefixes)
    events, rejected, lines_read = read_call_events(landing_dir, prefixes)
    kept, duplicates = deduplicate(events)
    views, resent, unusable, view_lines = read_views(landing_dir)
    lines_read[VIEW_FOLDER] = view_lines
    index = ViewIndex(views)
    window = dt.timedelta(minutes=match_window_minutes)
    marts: dict[str, list[dict[str, Any]]] = {name: [] for name in MARTS}
    for event in sorted(kept, key=CallEvent.first_received_key):
        marts[MART_OF_TYPE[event.event_type]].append(
            mart_row(event, match(event, index, window))
        )
    sessions = sessions_of(views, marts)
    return Result(
        marts=marts,
        rejected=rejected,
        duplicates=duplicates,
        views_used=views,
        views_resent=resent,
        unusable_views=unusable,
        call_match_rates=match_rates(marts),
        lines_read=lines_read,
        call_sessions=sessions,
        call_conversions_daily=conversions_daily(sessions),
    )


# --------------------------------------------------------------------------
# Script: print the expected warehouse for a folder, for reading by hand
# --------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="milliseconds")
    if isinstance(value, float):
        return f"{value:.4f}"
    return "-" if value is None else str(value)


def print_result(result: Result) -> None:
    for name, rows in result.marts.items():
        print(f"\n== {name}: {len(rows)} rows")
        for row in rows:
            print(
                "  "
                + " | ".join(
                    _fmt(row[col])
                    for col in (
                        "vendor",
                        "tracking_id",
                        "transaction_id",
                        "context_id",
                        "event_ts",
                        "event_url",
                        "total_value",
                        "total_currency",
                        "is_offline",
                        "view_id",
                        "view_ts",
                        "page_type",
                        "session_number",
                    )
                )
            )
    print(f"\n== call_events_rejected: {len(result.rejected)} rows")
    for row in result.rejected:
        print(
            f"  {row.vendor} | {_fmt(row.tracking_id)} | {row.source_file}:"
            f"{row.line_number} | {row.reason} | {row.raw[:70]}"
        )
    print(f"\n== duplicates: {len(result.duplicates)}")
    for event in result.duplicates:
        print(
            f"  {event.vendor} | {event.tracking_id} | {event.event_type} | "
            f"{_fmt(event.transaction_id)} | {event.source_file}:{event.line_number}"
            f"#{event.position} | {event.event_url}"
        )
    print(
        f"\n== views: {len(result.views_used)} used, {result.views_resent} re-sent "
        f"copies, {len(result.unusable_views)} unusable lines"
    )
    for bad in result.unusable_views:
        print(f"  {bad.source_file}:{bad.line_number} {bad.problem}")
    print("\n== call_match_rates")
    for row in result.call_match_rates:
        print("  " + " | ".join(_fmt(row[col]) for col in MATCH_RATE_COLUMNS))
    for name, rows, columns in (
        ("call_sessions", result.call_sessions, SESSION_COLUMNS),
        ("call_conversions_daily", result.call_conversions_daily, CONVERSION_COLUMNS),
    ):
        print(f"\n== {name}: {len(rows)} rows")
        for row in rows:
            print("  " + " | ".join(_fmt(row[col]) for col in columns))
    print(f"\n== lines read: {dict(result.lines_read)}")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} LANDING_DIR", file=sys.stderr)
        return 2
    print_result(build(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
