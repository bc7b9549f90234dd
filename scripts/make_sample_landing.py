"""Write the hand-made sample landing folder, data/sample_landing/.

Small on purpose (tens of lines) and covering every case of the contract
(docs/interface.md): every reject reason, both vendors, all three event
types (one namespaced), ms and s timestamps as numbers and strings, offline
ids, retries (rule 4 and its tie-breaks), the match-window edges (rule 5),
re-sent and broken views (rule 7), gzip files, subfolders and ignored files.
Each line below says which case it is and what the warehouse must do with it;
tests/integration/reference.py computes the expected marts from the output.

Deterministic: running it again gives the same bytes (gzip mtime is pinned).

    python scripts/make_sample_landing.py [OUT_DIR]   # default data/sample_landing
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

UTC = dt.UTC
RT = "responsetap@1.0.0"
INF = "infinity@2.3.1"
EC = "ecBasketTransactionSummary"
TR = "trPackageTransactionSummary"
FI = "fiBasketTransactionSummary"


class _Omit:
    """Marks a field left out of the JSON altogether (not even null)."""


OMIT = _Omit()


# --------------------------------------------------------------------------
# Time helpers: every time in the sample is on 2026-11-20 unless `day` says
# --------------------------------------------------------------------------


def at(hms: str, day: int = 20) -> dt.datetime:
    """2026-11-<day> at hh:mm:ss[.fff] UTC."""
    return dt.datetime.fromisoformat(f"2026-11-{day:02d}T{hms}").replace(tzinfo=UTC)


def s(hms: str, day: int = 20) -> int:
    """Unix seconds."""
    return int(at(hms, day).timestamp())


def ms(hms: str, day: int = 20) -> int:
    """Unix milliseconds."""
    return round(at(hms, day).timestamp() * 1000)


def iso(hms: str, day: int = 20) -> str:
    """received_at as vendors send it: ISO-8601 with milliseconds and Z."""
    return at(hms, day).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --------------------------------------------------------------------------
# Builders for the two line formats (contract 1a and 1b)
# --------------------------------------------------------------------------


def _drop_omitted(obj: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in obj.items() if value is not OMIT}


def event(
    context_id: Any,
    ts: Any,
    event_type: Any = EC,
    *,
    txn: Any = OMIT,
    url: Any = "https://acme.co.uk/basket",
    total: Any = OMIT,
    source: str = RT,
) -> dict[str, Any]:
    """A transaction summary event; the total goes where its type keeps it."""
    bare_type = event_type.rsplit(".", 1)[-1] if isinstance(event_type, str) else ""
    body: dict[str, Any] = {
        "context": {"id": context_id},
        "meta": _drop_omitted(
            {"type": event_type, "ts": ts, "url": url, "source": source}
        ),
    }
    if total is not OMIT:
        body["package" if bare_type == TR else "basket"] = {"total": total}
    if txn is not OMIT:
        body["transaction"] = {"id": txn}
    return body


def total(value: Any, currency: Any) -> dict[str, Any]:
    return {"value": value, "currency": currency}


def request(
    tracking_id: Any,
    received_at: Any,
    events: list[Any],
    *,
    body_as_object: bool = False,
) -> str:
    """A vendor line; `body` is the request body as a string, as received."""
    body = {"events": events}
    return json.dumps(
        {
            "tracking_id": tracking_id,
            "received_at": received_at,
            "body": body if body_as_object else json.dumps(body),
        }
    )


def raw_request(**fields: Any) -> str:
    """A vendor line with arbitrary (possibly wrong) top-level fields."""
    return json.dumps(fields)


def view(
    tracking_id: Any,
    context_id: Any,
    view_number: Any,
    ts: Any,
    *,
    url: Any = "https://acme.co.uk/page",
    page_type: Any = "product",
    session_number: Any = 1,
    view_type: str = "ecView",
) -> str:
    """A Qubit view line; OMIT leaves a field out."""
    return json.dumps(
        _drop_omitted(
            {
                "meta": _drop_omitted(
                    {
                        "id": f"v-{context_id if isinstance(context_id, str) else 'none'}",
                        "type": view_type,
                        "ts": ts,
                        "trackingId": tracking_id,
                        "url": url,
                    }
                ),
                "context": _drop_omitted(
                    {
                        "id": context_id,
                        "viewNumber": view_number,
                        "sessionNumber": session_number,
                    }
                ),
                "type": page_type,
                "country": "GB",
                "language": "en-gb",
            }
        )
    )


# A line that is valid JSON in every way except one byte that is not UTF-8.
def with_bad_utf8(line: str) -> bytes:
    return line.replace("CAFE", "CAF\xe9").encode("latin-1")


# --------------------------------------------------------------------------
# ResponseTap (property acme_uk, plus initech_us on both vendors)
# --------------------------------------------------------------------------


def responsetap_file_1() -> list[str | bytes]:
    """responsetap/2026/11/20/rt-acme-0001.ndjson; ends in a cut-off line."""
    return [
        # --- kept events and the match window (rule 5) --------------------
        # 1: ts in seconds (number); views ctx-a1 #1..#3 -> latest (#3, 09:45).
        request("acme_uk", iso("10:00:05"), [
            event("ctx-a1", s("10:00:00"), txn="T-1001", total=total(49.99, "GBP")),
        ]),
        # 2: retry of T-1001 in the same file, received later -> duplicate.
        request("acme_uk", iso("10:00:35"), [
            event("ctx-a1", s("10:00:00"), txn="T-1001", total=total(49.99, "GBP")),
        ]),
        # 3: ts in ms (number), view exactly 30:00.000 before -> matched.
        #    value as numeric string, currency lower case -> 120.5000 GBP.
        request("acme_uk", iso("11:00:02"), [
            event("ctx-a2", ms("11:00:00.000"), txn="T-1002",
                  url="https://acme.co.uk/checkout", total=total("120.5", "gbp")),
        ]),
        # 4: ts in seconds as a string; the only view is 30:01 before -> no
        #    match (the .tmp views file has a closer one: it must be ignored).
        request("acme_uk", iso("11:00:03"), [
            event("ctx-a3", str(s("11:00:00")), txn="T-1003"),
        ]),
        # 5: fi, ts in ms as a string; view 30:00.001 before -> no match.
        request("acme_uk", iso("12:00:01"), [
            event("ctx-a4", str(ms("12:00:00.000")), FI, txn="T-1004",
                  total=total(250, "Eur")),
        ]),
        # 6: two views at 12:10:00 (#4 and #5) -> the higher viewNumber, #5;
        #    view #6 is 1 s after the call and is not a candidate.
        request("acme_uk", iso("12:20:05"), [
            event("ctx-a5", s("12:20:00"), txn="T-1005"),
        ]),
        # 7: the only view is 1 s after the call -> no match; no url -> null.
        request("acme_uk", iso("13:00:04"), [
            event("ctx-a6", s("13:00:00"), txn="T-1006", url=OMIT),
        ]),
        # 8: views for ctx-a7 exist only under globex_de -> no match.
        request("acme_uk", iso("14:00:03"), [
            event("ctx-a7", s("14:00:00"), txn="T-1007"),
        ]),
        # 9: body is a JSON object, not a string -> used as is. Matched to a
        #    trView (any vertical matches).
        request("acme_uk", iso("14:20:02"), [
            event("ctx-a8", s("14:20:00"), txn="T-1008"),
        ], body_as_object=True),
        # --- rule 4 tie-breaks (each copy has its own url to tell them apart)
        # 10: T-2001 copy received 11:00:30; the copy in rt-acme-0002 was
        #     received 11:00:01 -> that one is kept though its file is later.
        request("acme_uk", iso("11:00:30"), [
            event("ctx-a9", s("10:59:00"), TR, txn="T-2001",
                  url="https://acme.co.uk/p?copy=file1-later",
                  total=total(300, "USD")),
        ]),
        # 11: T-2002 received 11:10:00 here and in rt-acme-0002 -> the
        #     earlier file path (this one) is kept.
        request("acme_uk", iso("11:10:00"), [
            event("ctx-d2", s("11:09:00"), TR, txn="T-2002",
                  url="https://acme.co.uk/p?copy=file1"),
        ]),
        # 12, 13: T-2003 twice at the same received_at in one file -> line 12.
        request("acme_uk", iso("11:20:00"), [
            event("ctx-d3", s("11:19:00"), TR, txn="T-2003",
                  url="https://acme.co.uk/p?copy=line12"),
        ]),
        request("acme_uk", iso("11:20:00"), [
            event("ctx-d3", s("11:19:00"), TR, txn="T-2003",
                  url="https://acme.co.uk/p?copy=line13"),
        ]),
        # 14: T-2004 twice in one body -> position 0 is kept.
        request("acme_uk", iso("11:30:00"), [
            event("ctx-d4", s("11:29:00"), TR, txn="T-2004",
                  url="https://acme.co.uk/p?pos=0"),
            event("ctx-d4", s("11:29:00"), TR, txn="T-2004",
                  url="https://acme.co.uk/p?pos=1"),
        ]),
        # 15: namespaced type -> trPackageTransactionSummary; the total is in
        #     package; the bad basket.total is not a tr event's total.
        request("acme_uk", iso("11:40:00"), [
            {**event("ctx-d5", s("11:39:00"), "acme.trPackageTransactionSummary",
                     txn="T-2005", total=total(99.5, "GBP")),
             "basket": {"total": {"value": "not a number", "currency": "??"}}},
        ]),
        # 16: the same T-2005 without the namespace -> duplicate of line 15.
        request("acme_uk", iso("11:40:30"), [
            event("ctx-d5", s("11:39:00"), TR, txn="T-2005",
                  total=total(99.5, "GBP")),
        ]),
        # 17: transaction id as a number -> "5005".
        request("acme_uk", iso("11:50:00"), [
            event("ctx-d6", s("11:49:00"), txn=5005),
        ]),
        # 18: "5005" as a string, retried -> duplicate of line 17.
        request("acme_uk", iso("11:50:20"), [
            event("ctx-d6", s("11:49:00"), txn="5005"),
        ]),
        # 19: same transaction id, other event type (fi) -> not a duplicate.
        request("acme_uk", iso("11:50:40"), [
            event("ctx-d6", s("11:49:00"), FI, txn="5005"),
        ]),
        # --- events without a transaction id --------------------------------
        # 20, 21: differ only in url -> two events, both kept.
        request("acme_uk", iso("15:10:05"), [
            event("ctx-n1", s("15:10:00"), url="https://acme.co.uk/a",
                  total=total(10, "GBP")),
        ]),
        request("acme_uk", iso("15:10:06"), [
            event("ctx-n1", s("15:10:00"), url="https://acme.co.uk/b",
                  total=total(10, "GBP")),
        ]),
        # 22: empty transaction id = none. Kept (first of its kind).
        request("acme_uk", iso("15:20:05"), [
            event("ctx-n2", s("15:20:00"), txn="", url="https://acme.co.uk/c"),
        ]),
        # 23: same event with no transaction object -> duplicate of line 22.
        request("acme_uk", iso("15:20:15"), [
            event("ctx-n2", s("15:20:00"), url="https://acme.co.uk/c"),
        ]),
        # 24: empty transaction id, other url -> kept.
        request("acme_uk", iso("15:20:25"), [
            event("ctx-n2", s("15:20:00"), txn="", url="https://acme.co.uk/d"),
        ]),
        # --- ids ------------------------------------------------------------
        # 25: context id as a number -> "987654"; its view -> "987654-3".
        request("acme_uk", iso("15:30:05"), [
            event(987654, s("15:30:00"), txn="T-1010"),
        ]),
        # 26-29: offline ResponseTap ids (any case) -> flagged, never matched,
        #        even though gbr0-off-1 has a view 10 minutes before.
        request("acme_uk", iso("16:20:05"), [
            event("gbr0-off-1", s("16:20:00"), txn="T-3001", total=total(20, "GBP")),
        ]),
        request("acme_uk", iso("16:30:05"), [
            event("GBR0-OFF-2", s("16:30:00"), FI, txn="T-3002"),
        ]),
        request("acme_uk", iso("16:40:05"), [
            event("clarity-off-3", s("16:40:00"), TR, txn="T-3003",
                  total=total(450, "GBP")),
        ]),
        request("acme_uk", iso("16:45:05"), [
            event("Clarity-Off-4", s("16:45:00"), txn="T-3004"),
        ]),
        # --- views that must not be used (rule 7 and view dedup) -----------
        # 30: view ctx-a10 #3 was sent at 14:00 and re-sent with ts 14:45;
        #     the earliest ts wins -> 60 min before -> no match.
        request("acme_uk", iso("15:00:05"), [
            event("ctx-a10", s("15:00:00"), txn="T-1011"),
        ]),
        # 31: view ctx-a11 #2 came first with ts 15:40, then (later file)
        #     with ts 15:20 -> 15:20 wins -> 35 min before -> no match.
        request("acme_uk", iso("15:55:05"), [
            event("ctx-a11", s("15:55:00"), txn="T-1012"),
        ]),
        # 32: only broken view lines for ctx-a12 -> no match.
        request("acme_uk", iso("16:00:05"), [
            event("ctx-a12", s("16:00:00"), txn="T-1013"),
        ]),
        # 33: view at the very same millisecond as the call -> matched.
        request("acme_uk", iso("16:05:05"), [
            event("ctx-a13", ms("16:05:00.250"), txn="T-1014"),
        ]),
        # 34: fractional seconds -> event_ts 16:10:00.500.
        request("acme_uk", iso("16:10:05"), [
            event("ctx-a14", s("16:10:00") + 0.5, txn="T-1015"),
        ]),
        # --- plausible times (invalid_ts edges that are still valid) --------
        # 35: ts exactly one day after received_at -> valid (event date 21st).
        request("acme_uk", iso("12:00:00"), [
            event("ctx-t1", s("12:00:00", day=21), txn="T-1016"),
        ]),
        # 36: received_at with an offset -> 12:30:00 UTC.
        request("acme_uk", "2026-11-20T13:30:00+01:00", [
            event("ctx-t2", s("12:29:00"), txn="T-1017"),
        ]),
        # 37: ts exactly 2000-01-01T00:00:00 -> not before 2000 -> valid.
        request("acme_uk", iso("12:40:00"), [
            event("ctx-t3", 946684800, txn="T-1018"),
        ]),
        # 38: 23:59:59.999 on the 20th, received on the 21st -> event date 20th.
        request("acme_uk", iso("00:00:01", day=21), [
            event("ctx-t4", ms("23:59:59.999"), txn="T-1019"),
        ]),
        # --- event-level rejects ------------------------------------------
        # 39: one good event, then four elements that are not objects ->
        #     1 kept + 4 x invalid_event.
        request("acme_uk", iso("17:00:05"), [
            event("ctx-r1", s("17:00:00"), txn="T-1020"), 42, "text", None, [],
        ]),
        # 40: missing_context_id x4 (no context; "" ; null; and no context
        #     plus an unknown type: the first reason in table order wins).
        request("acme_uk", iso("17:05:05"), [
            {"meta": {"type": EC, "ts": s("17:05:00")}, "transaction": {"id": "R-1"}},
            event("", s("17:05:00"), txn="R-2"),
            event(None, s("17:05:00"), txn="R-3"),
            {"meta": {"type": "ecView", "ts": s("17:05:00")}},
        ]),
        # 41: unknown_event_type x4 (a view type; no type; unknown namespaced
        #     type; unknown type with a bad ts: type comes first).
        request("acme_uk", iso("17:10:05"), [
            event("ctx-r2", s("17:10:00"), "ecView", txn="R-4"),
            event("ctx-r2", s("17:10:00"), OMIT, txn="R-5"),
            event("ctx-r2", s("17:10:00"), "acme.unknownTransactionSummary", txn="R-6"),
            event("ctx-r2", "abc", "ecPurchase", txn="R-7"),
        ]),
        # 42: invalid_ts x5 (absent; not numeric; 1999-12-31T23:59:59; one
        #     day + 1 s after received_at; bad ts and bad total: ts first).
        request("acme_uk", iso("17:15:00"), [
            event("ctx-r3", OMIT, txn="R-8"),
            event("ctx-r3", "abc", txn="R-9"),
            event("ctx-r3", 946684799, txn="R-10"),
            event("ctx-r3", s("17:15:01", day=21), txn="R-11"),
            event("ctx-r3", "", txn="R-12", total=total("x", "GBP")),
        ]),
        # 43: invalid_total x8, then two valid events whose totals are fine.
        request("acme_uk", iso("17:20:05"), [
            event("ctx-r4", s("17:20:00"), txn="R-13", total=total("abc", "GBP")),
            event("ctx-r4", s("17:20:00"), txn="R-14", total=total(5, "GB")),
            event("ctx-r4", s("17:20:00"), txn="R-15", total=total(5, "GBPX")),
            event("ctx-r4", s("17:20:00"), txn="R-16", total=total(5, 826)),
            event("ctx-r4", s("17:20:00"), txn="R-17", total="9.99"),
            event("ctx-r4", s("17:20:00"), txn="R-18", total={"value": 5}),
            event("ctx-r4", s("17:20:00"), txn="R-19", total={"currency": "GBP"}),
            event("ctx-r4", s("17:20:00"), TR, txn="R-20", total=total(None, "GBP")),
            # valid: total null = no total.
            event("ctx-r4", s("17:20:00"), txn="T-1021", total=None),
            # valid: package.total on an ec event is not its total.
            {**event("ctx-r4", s("17:20:00"), txn="T-1022"),
             "package": {"total": {"value": "junk"}}},
        ]),
        # 44: T-3101 first arrives with a bad ts (rejected, not a duplicate).
        request("acme_uk", iso("17:30:00"), [
            event("ctx-r5", "soon", txn="T-3101"),
        ]),
        # 45: its retry is valid -> kept.
        request("acme_uk", iso("17:30:30"), [
            event("ctx-r5", s("17:29:00"), txn="T-3101"),
        ]),
        # 46: a body with an empty events array -> nothing at all.
        request("acme_uk", iso("17:35:00"), []),
        # --- line-level rejects: invalid_line -----------------------------
        # 47: a blank line in the middle of a file.
        "",
        # 48: not JSON.
        "this is not json",
        # 49: JSON, but not an object.
        '["acme_uk", "2026-11-20T10:00:00Z"]',
        # 50-52: tracking_id missing, empty, a number.
        raw_request(received_at=iso("17:40:00"), body='{"events": []}'),
        raw_request(tracking_id="", received_at=iso("17:40:00"), body='{"events": []}'),
        raw_request(tracking_id=12345, received_at=iso("17:40:00"), body='{"events": []}'),
        # 53-56: received_at not a time, not ISO, missing, impossible date.
        raw_request(tracking_id="acme_uk", received_at="yesterday", body='{"events": []}'),
        raw_request(tracking_id="acme_uk", received_at="20/11/2026 17:40:00",
                    body='{"events": []}'),
        raw_request(tracking_id="acme_uk", body='{"events": []}'),
        raw_request(tracking_id="acme_uk", received_at="2026-02-30T10:00:00Z",
                    body='{"events": []}'),
        # 57, 58: body null, body missing.
        raw_request(tracking_id="acme_uk", received_at=iso("17:40:00"), body=None),
        raw_request(tracking_id="acme_uk", received_at=iso("17:40:00")),
        # 59: a byte that is not UTF-8 in an otherwise valid line.
        with_bad_utf8(request("acme_uk", iso("17:40:00"), [
            event("ctx-CAFE", s("17:39:00"), txn="R-21"),
        ])),
        # --- line-level rejects: invalid_body -----------------------------
        # 60: body is not JSON.
        raw_request(tracking_id="acme_uk", received_at=iso("17:45:00"),
                    body='{"events": [{"context": '),
        # 61: body without events.
        raw_request(tracking_id="acme_uk", received_at=iso("17:45:00"),
                    body='{"evts": []}'),
        # 62: events is not an array.
        raw_request(tracking_id="acme_uk", received_at=iso("17:45:00"),
                    body='{"events": {}}'),
        # 63: body is a number, not a string holding JSON.
        raw_request(tracking_id="acme_uk", received_at=iso("17:45:00"), body=42),
        # 64: body is a JSON string holding a string.
        raw_request(tracking_id="acme_uk", received_at=iso("17:45:00"),
                    body='"just a string"'),
        # 65: cut off mid-line, and the file's last line has no newline.
        '{"tracking_id": "acme_uk", "received_at": "2026-11-20T18:00:00Z", '
        '"body": "{\\"events\\": [{\\"context',
    ]


def responsetap_file_2() -> list[str | bytes]:
    """responsetap/2026/11/20/rt-acme-0002.ndjson.gz: retries, gzip."""
    return [
        # 1: T-1001 retried in a later file -> duplicate.
        request("acme_uk", iso("10:05:00"), [
            event("ctx-a1", s("10:00:00"), txn="T-1001", total=total(49.99, "GBP")),
        ]),
        # 2: T-2001 received first (11:00:01) -> kept; matched to view
        #    ctx-a9 #4 which has no url, page type or session number.
        request("acme_uk", iso("11:00:01"), [
            event("ctx-a9", s("10:59:00"), TR, txn="T-2001",
                  url="https://acme.co.uk/p?copy=file2-first",
                  total=total(300, "USD")),
        ]),
        # 3: T-2002 at the same received_at as in rt-acme-0001 -> duplicate.
        request("acme_uk", iso("11:10:00"), [
            event("ctx-d2", s("11:09:00"), TR, txn="T-2002",
                  url="https://acme.co.uk/p?copy=file2"),
        ]),
        # 4: a retry of T-1001 with a bad currency -> invalid_total, which
        #    is a reject, not a duplicate.
        request("acme_uk", iso("10:00:50"), [
            event("ctx-a1", s("10:00:00"), txn="T-1001", total=total(49.99, "£")),
        ]),
        # 5: cut off in the middle of a file -> invalid_line.
        '{"tracking_id": "acme_uk", "rece',
        # 6: retry of line 20 of rt-acme-0001 (no transaction id) with the
        #    same time given in ms as a string -> same event -> duplicate.
        request("acme_uk", iso("15:10:30"), [
            event("ctx-n1", str(ms("15:10:00.000")), url="https://acme.co.uk/a",
                  total=total(10, "GBP")),
        ]),
        # 7: initech_us X-1 on ResponseTap (Infinity has an X-1 too: other
        #    vendor -> not a duplicate). Value rounds to 4 decimals.
        request("initech_us", iso("09:30:05"), [
            event("ctx-i1", s("09:30:00"), txn="X-1", url="https://initech.com/tps",
                  total=total(12.34567, "usd")),
        ]),
    ]


def responsetap_file_3() -> list[str | bytes]:
    """responsetap/2026/11/21/rt-acme-0003.ndjson: the next day."""
    return [
        # 1: matched to ctx-b1 #1 (views-0003, the 21st).
        request("acme_uk", iso("09:00:05", day=21), [
            event("ctx-b1", s("09:00:00", day=21), txn="T-4001"),
        ]),
        # 2: T-1002 retried a day later, in a later file -> duplicate.
        request("acme_uk", iso("08:00:00", day=21), [
            event("ctx-a2", ms("11:00:00.000"), txn="T-1002",
                  url="https://acme.co.uk/checkout", total=total("120.5", "gbp")),
        ]),
        # 3: fi with no view at all -> unmatched.
        request("acme_uk", iso("09:10:05", day=21), [
            event("ctx-b2", ms("09:10:00.000", day=21), FI, txn="T-4002",
                  total=total(19, "GBP")),
        ]),
        # 4: received_at without offset = UTC; a type with two namespace
        #    levels (dropped up to the last '.'); "gbr0" not at the start of
        #    the id -> online.
        request("acme_uk", "2026-11-21T09:20:05", [
            event("my-gbr0-visitor", s("09:20:00", day=21),
                  "com.acme.fiBasketTransactionSummary", txn="T-4003"),
        ]),
        # 5: context id a number on both the call and its view -> "555",
        #    matched to view "555-2".
        request("acme_uk", iso("09:30:05", day=21), [
            event(555, s("09:30:00", day=21), txn="T-4004"),
        ]),
        # 6: invalid_total x3: currency with a space, value "", value true.
        request("acme_uk", iso("09:40:05", day=21), [
            event("ctx-b3", s("09:40:00", day=21), txn="R-30",
                  total=total(5, " gbp")),
            event("ctx-b3", s("09:40:00", day=21), txn="R-31",
                  total=total("", "GBP")),
            event("ctx-b3", s("09:40:00", day=21), txn="R-32",
                  total=total(True, "GBP")),
        ]),
        # 7: received_at is a number, not an ISO-8601 string -> invalid_line.
        raw_request(tracking_id="acme_uk", received_at=s("09:50:00", day=21),
                    body='{"events": []}'),
    ]


def responsetap_ignored_tmp() -> list[str | bytes]:
    """responsetap/2026/11/20/rt-acme-0004.ndjson.tmp: must NOT be read."""
    return [
        request("acme_uk", iso("10:00:05"), [
            event("ctx-ignored", s("10:00:00"), txn="T-9999"),
        ]),
    ]


# --------------------------------------------------------------------------
# Infinity (property globex_de, plus initech_us)
# --------------------------------------------------------------------------


def infinity_file_1() -> list[str | bytes]:
    """infinity/inf-globex-0001.ndjson: directly in the vendor folder."""
    return [
        # 1: id starts with gbr0 but Infinity has no offline calls -> online,
        #    matched to a namespaced view type (globex.ecView).
        request("globex_de", iso("10:10:03"), [
            event("gbr0-inf-1", s("10:10:00"), txn="INF-1", source=INF,
                  url="https://globex.de/warenkorb", total=total(75, "EUR")),
        ]),
        # 2: tr in ms (number); value string rounds to 4 decimals; no view.
        request("globex_de", iso("10:20:03"), [
            event("ctx-g2", ms("10:20:00.123"), TR, txn="INF-2", source=INF,
                  url="https://globex.de/reise", total=total("1299.99996", "eur")),
        ]),
        # 3: fi, ts in ms as a string -> matched to a fiView.
        request("globex_de", iso("10:30:03"), [
            event("ctx-g3", str(ms("10:30:00.000")), FI, txn="INF-3", source=INF,
                  url="https://globex.de/konto", total=total(5, "EUR")),
        ]),
        # 4: INF-1 retried -> duplicate.
        request("globex_de", iso("10:10:33"), [
            event("gbr0-inf-1", s("10:10:00"), txn="INF-1", source=INF,
                  url="https://globex.de/warenkorb", total=total(75, "EUR")),
        ]),
        # 5: initech_us X-1 on Infinity -> kept (not a duplicate of RT's X-1).
        request("initech_us", iso("09:30:07"), [
            event("ctx-i1", s("09:30:00"), txn="X-1", source=INF,
                  url="https://initech.com/tps", total=total(12.34567, "usd")),
        ]),
        # 6: namespaced ec type, no transaction id -> kept, unmatched.
        request("globex_de", iso("10:40:03"), [
            event("ctx-g4", s("10:40:00"), "globex.ecBasketTransactionSummary",
                  source=INF, url="https://globex.de/x"),
        ]),
        # 7: not JSON -> invalid_line for Infinity.
        "{oops",
        # 8: missing_context_id and unknown_event_type for Infinity.
        request("globex_de", iso("10:50:03"), [
            event(None, s("10:50:00"), txn="INF-R1", source=INF),
            event("ctx-g6", s("10:50:00"), "fiView", txn="INF-R2", source=INF),
        ]),
        # 9: upper-case GBR0 on Infinity -> online; no view -> unmatched.
        request("globex_de", iso("11:00:03"), [
            event("GBR0-inf-5", s("11:00:00"), txn="INF-4", source=INF),
        ]),
        # 10: clarity prefix on Infinity -> online, matched.
        request("globex_de", iso("11:10:03"), [
            event("clarity-inf-6", s("11:10:00"), txn="INF-6", source=INF),
        ]),
    ]


def infinity_file_2() -> list[str | bytes]:
    """infinity/2026-11-20/inf-globex-0002.ndjson.gz: subfolder, gzip."""
    return [
        # 1: INF-2 retried in a later file -> duplicate.
        request("globex_de", iso("10:25:00"), [
            event("ctx-g2", ms("10:20:00.123"), TR, txn="INF-2", source=INF,
                  url="https://globex.de/reise", total=total("1299.99996", "eur")),
        ]),
        # 2: matched to ctx-g5 #2 (views-0002.ndjson.gz).
        request("globex_de", iso("11:20:03"), [
            event("ctx-g5", s("11:20:00"), txn="INF-5", source=INF),
        ]),
        # 3: invalid_ts and invalid_total for Infinity.
        request("globex_de", iso("11:30:03"), [
            event("ctx-g7", "later", txn="INF-R3", source=INF),
            event("ctx-g7", s("11:30:00"), txn="INF-R4", source=INF,
                  total=total("1,5", "EUR")),
        ]),
        # 4: invalid_body for Infinity.
        raw_request(tracking_id="globex_de", received_at=iso("11:40:00"),
                    body="<xml/>"),
        # 5: invalid_event for Infinity.
        request("globex_de", iso("11:50:03"), [True]),
    ]


# --------------------------------------------------------------------------
# Views
# --------------------------------------------------------------------------


def views_file_1() -> list[str | bytes]:
    """views/2026/11/20/views-0001.ndjson."""
    return [
        # ctx-a1: three views; the call at 10:00 takes the latest, #3.
        view("acme_uk", "ctx-a1", 1, s("09:10:00"), url="https://acme.co.uk/",
             page_type="home"),
        view("acme_uk", "ctx-a1", 2, s("09:30:00")),
        view("acme_uk", "ctx-a1", 3, ms("09:45:00.000"),
             url="https://acme.co.uk/basket", page_type="basket", session_number=2),
        # ctx-a2 #7: exactly 30:00.000 before T-1002 (ms number).
        view("acme_uk", "ctx-a2", 7, ms("10:30:00.000"),
             url="https://acme.co.uk/checkout", page_type="checkout"),
        # ctx-a3 #2: 30:01 before T-1003 (seconds number).
        view("acme_uk", "ctx-a3", 2, s("10:29:59")),
        # ctx-a4 #5: 30:00.001 before T-1004 (ms as a string).
        view("acme_uk", "ctx-a4", 5, str(ms("11:29:59.999"))),
        # ctx-a5 #5 at 12:10:00 (seconds as a string); #4 at the same time
        # is in views-0002; #6 is 1 s after the call.
        view("acme_uk", "ctx-a5", 5, str(s("12:10:00")),
             url="https://acme.co.uk/basket-b", page_type="basket"),
        view("acme_uk", "ctx-a5", 6, s("12:20:01")),
        # ctx-a6 #1: 1 s after T-1006 only.
        view("acme_uk", "ctx-a6", 1, s("13:00:01")),
        # ctx-a8 #2: a trView matches an ec call (any vertical).
        view("acme_uk", "ctx-a8", 2, s("14:10:00"), view_type="trView",
             url="https://acme.co.uk/holidays", page_type="package",
             session_number=4),
        # ctx-a9 #4: no url, no page type, no session number -> nulls.
        view("acme_uk", "ctx-a9", 4, s("10:50:00"), url=OMIT, page_type=OMIT,
             session_number=OMIT),
        # ctx-a10 #3 original at 14:00 (re-sent with ts 14:45 in views-0002).
        view("acme_uk", "ctx-a10", 3, s("14:00:00")),
        # ctx-a11 #2 at 15:40 (re-sent with the earlier ts 15:20 later on).
        view("acme_uk", "ctx-a11", 2, s("15:40:00")),
        # the view of the numeric context id 987654 (sent as a string here).
        view("acme_uk", "987654", 3, s("15:25:00")),
        # a view for the offline call gbr0-off-1: it must not be matched.
        view("acme_uk", "gbr0-off-1", 2, s("16:10:00")),
        # ctx-a13 #1: the same millisecond as T-1014.
        view("acme_uk", "ctx-a13", 1, ms("16:05:00.250")),
        # ctx-a1 #3 re-sent unchanged -> one view.
        view("acme_uk", "ctx-a1", 3, ms("09:45:00.000"),
             url="https://acme.co.uk/basket", page_type="basket", session_number=2),
        # globex_de views, one for acme's ctx-a7 (other property -> unused).
        view("globex_de", "ctx-a7", 1, s("13:50:00"), url="https://globex.de/"),
        view("globex_de", "gbr0-inf-1", 2, s("10:05:00"), view_type="globex.ecView",
             url="https://globex.de/warenkorb", page_type="basket", session_number=7),
        view("globex_de", "ctx-g3", 1, ms("10:29:00.000"), view_type="fiView",
             url="https://globex.de/konto", page_type="account"),
        view("globex_de", "clarity-inf-6", 9, s("11:00:00"),
             url="https://globex.de/k", page_type="category", session_number=3),
        view("initech_us", "ctx-i1", 1, s("09:20:00"), url="https://initech.com/",
             page_type="home"),
        # --- broken view lines: not used for matching, counted (rule 7). Each
        # would otherwise match T-1013 (ctx-a12, call at 16:00).
        # a blank line
        "",
        # not JSON
        "garbage",
        # JSON, not an object
        "[]",
        # cut off
        view("acme_uk", "ctx-a12", 8, s("15:50:00"))[:40],
        # no trackingId / an empty one
        view(OMIT, "ctx-a12", 1, s("15:55:00")),
        view("", "ctx-a12", 9, s("15:55:00")),
        # no context id
        view("acme_uk", OMIT, 1, s("15:55:00")),
        # no viewNumber / a null one
        view("acme_uk", "ctx-a12", OMIT, s("15:58:00")),
        view("acme_uk", "ctx-a12", None, s("15:58:00")),
        # no ts, a ts that is not numeric, 1970, and 2103
        view("acme_uk", "ctx-a12", 6, OMIT),
        view("acme_uk", "ctx-a12", 3, "abc"),
        view("acme_uk", "ctx-a12", 4, 0),
        view("acme_uk", "ctx-a12", 5, 4_200_000_000_000),
        # a byte that is not UTF-8
        with_bad_utf8(view("acme_uk", "ctx-a12", 7, s("15:59:00"),
                           url="https://acme.co.uk/CAFE")),
    ]


def views_file_2() -> list[str | bytes]:
    """views/2026/11/20/late/views-0002.ndjson.gz: subfolder, gzip, resends."""
    return [
        # ctx-a5 #4 at the same 12:10:00 as #5 -> #5 wins (higher number).
        view("acme_uk", "ctx-a5", 4, s("12:10:00"), url="https://acme.co.uk/basket-a"),
        # ctx-a10 #3 re-sent with a later ts -> the earlier (14:00) wins.
        view("acme_uk", "ctx-a10", 3, s("14:45:00")),
        # ctx-a11 #2 re-sent with an earlier ts -> 15:20 wins.
        view("acme_uk", "ctx-a11", 2, s("15:20:00")),
        # ctx-g5 #2 for INF-5.
        view("globex_de", "ctx-g5", 2, s("11:15:00"), url="https://globex.de/g5",
             page_type="basket", session_number=2),
        # cut off
        '{"meta": {"id": "v-x", "type": "ecVi',
    ]


def views_file_3() -> list[str | bytes]:
    """views/2026/11/21/views-0003.ndjson: the next day, no final newline."""
    return [
        view("acme_uk", "ctx-b1", 1, s("08:55:00", day=21), page_type="landing"),
        # context id sent as a number -> "555"; view_id "555-2".
        view("acme_uk", 555, 2, s("09:25:00", day=21)),
    ]


def views_ignored_tmp() -> list[str | bytes]:
    """views/2026/11/20/views-0004.ndjson.tmp: must NOT be read; if it were,
    T-1003 (ctx-a3, 11:00) would match this view."""
    return [view("acme_uk", "ctx-a3", 3, s("10:59:00"))]


README = """\
# Sample landing folder

Hand-written by `scripts/make_sample_landing.py` (edit that, then re-run it);
every line's case is commented there. Small on purpose: it covers every rule
of the contract (docs/interface.md) and is the project's default
`landing_dir`. `tests/integration/reference.py` computes the expected marts.

- `responsetap/` (acme_uk, initech_us): valid events of all three types (one
  namespaced), ms and s times as numbers and strings, offline ids (`gbr0`,
  `GBR0`, `clarity`, `Clarity`), retries and every rule-4 tie-break, every
  reject reason, a gzip file, a cut-off last line without newline.
- `infinity/` (globex_de, initech_us): ids starting `gbr0`/`clarity` that are
  online, retries in a later gzip file in a subfolder, an empty file.
- `views/`: match-window edges (30:00 matches, 30:01 and 30:00.001 do not),
  equal view times, views after the call, views of another property or
  vertical, re-sent views (earliest ts wins) and broken view lines.
- Ignored: `_SUCCESS`, `*.tmp`, `*.json`, this README.
"""


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def encode(lines: list[str | bytes], final_newline: bool) -> bytes:
    data = b"\n".join(line.encode() if isinstance(line, str) else line for line in lines)
    return data + b"\n" if final_newline and lines else data


def write(
    root: Path, relative: str, lines: list[str | bytes], final_newline: bool = True
) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    data = encode(lines, final_newline)
    if relative.endswith(".gz"):
        # mtime=0 keeps the bytes identical from run to run.
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)


def make(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    write(root, "responsetap/2026/11/20/rt-acme-0001.ndjson", responsetap_file_1(),
          final_newline=False)
    write(root, "responsetap/2026/11/20/rt-acme-0002.ndjson.gz", responsetap_file_2())
    write(root, "responsetap/2026/11/21/rt-acme-0003.ndjson", responsetap_file_3())
    write(root, "responsetap/2026/11/20/rt-acme-0004.ndjson.tmp",
          responsetap_ignored_tmp())
    write(root, "responsetap/2026/11/20/rt-acme-0005.json", responsetap_ignored_tmp())
    write(root, "responsetap/_SUCCESS", [])
    write(root, "infinity/inf-globex-0001.ndjson", infinity_file_1())
    write(root, "infinity/2026-11-20/inf-globex-0002.ndjson.gz", infinity_file_2())
    write(root, "infinity/2026-11-20/empty.ndjson", [])
    write(root, "infinity/_SUCCESS", [])
    write(root, "views/2026/11/20/views-0001.ndjson", views_file_1())
    write(root, "views/2026/11/20/late/views-0002.ndjson.gz", views_file_2())
    write(root, "views/2026/11/21/views-0003.ndjson", views_file_3(),
          final_newline=False)
    write(root, "views/2026/11/20/views-0004.ndjson.tmp", views_ignored_tmp())
    write(root, "views/_SUCCESS", [])
    (root / "README.md").write_text(README)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="data/sample_landing",
                        type=Path, help="folder to (re)create")
    args = parser.parse_args()
    make(args.out_dir)
    print(f"wrote {args.out_dir}")


if __name__ == "__main__":
    main()
