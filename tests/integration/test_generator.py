"""Tests of scripts/generate_landing.py, the landing-folder generator.

Besides layout and reproducibility, a small reference reading of the contract
(section 2 rules) runs over the generated files and must agree with the
designed counts in _generator_summary.json, so the summary can be trusted by
the pipeline's own tests.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb
import pytest

# The generator is the same whatever the engine: test it on the DuckDB run only.
pytestmark = pytest.mark.duckdb_only

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_landing.py"
SMALL = ["--days", "3", "--views", "6000", "--calls", "1500", "--quiet"]
EVENT_TYPES = {
    "ecBasketTransactionSummary", "trPackageTransactionSummary",
    "fiBasketTransactionSummary",
}
NUMERIC = re.compile(r"-?\d+(\.\d+)?")
CURRENCY = re.compile(r"[A-Za-z]{3}")
MATCH_WINDOW = timedelta(minutes=30)
OFFLINE = ("gbr0", "clarity")


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_landing", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


GEN = load_generator()


def generate(out: Path, *args: str) -> dict[str, Any]:
    GEN.main([str(out), *SMALL, *args])
    return json.loads((out / GEN.SUMMARY_NAME).read_text())


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    generate(out)
    return out


def data_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.name.endswith((".ndjson", ".ndjson.gz"))
    )


def read_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Lines as the contract splits them: on \\n, the last may lack it."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    yield from enumerate(parts, start=1)


# --------------------------------------------------------------------------
# A reference reading of the contract's rules, small inputs only
# --------------------------------------------------------------------------


def parse_time(value: Any) -> datetime | None:
    """Rule 1: meta.ts in seconds or milliseconds, number or numeric string."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, str) and not NUMERIC.fullmatch(value):
        return None
    number = float(value)
    ms = number if number >= 100_000_000_000 else number * 1000
    return datetime(1970, 1, 1) + timedelta(milliseconds=ms)


def parse_received(line: Any) -> datetime | None:
    if not isinstance(line, dict):
        return None
    tracking_id, received, body = (
        line.get("tracking_id"), line.get("received_at"), line.get("body")
    )
    if not isinstance(tracking_id, str) or not tracking_id or body is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(received))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None) - (parsed.utcoffset() or timedelta())


def check_event(event: Any, received: datetime) -> str | None:
    """The first reject reason that applies to an event (contract table)."""
    if not isinstance(event, dict):
        return "invalid_event"
    if not (event.get("context") or {}).get("id"):
        return "missing_context_id"
    meta = event.get("meta") or {}
    event_type = str(meta.get("type")).rsplit(".", 1)[-1]
    if event_type not in EVENT_TYPES:
        return "unknown_event_type"
    ts = parse_time(meta.get("ts"))
    if ts is None or ts < datetime(2000, 1, 1) or ts > received + timedelta(days=1):
        return "invalid_ts"
    total = (event.get("package" if event_type.startswith("tr") else "basket")
             or {}).get("total")
    if total is not None:
        value, currency = total.get("value"), total.get("currency")
        numeric = (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
            isinstance(value, str) and NUMERIC.fullmatch(value) is not None)
        if not numeric or not CURRENCY.fullmatch(str(currency)):
            return "invalid_total"
    return None


def dedup_key(vendor: str, tracking_id: str, event: dict[str, Any]) -> tuple[Any, ...]:
    """Rule 4: transaction id, or all the event's fields when it has none."""
    meta = event["meta"]
    event_type = meta["type"].rsplit(".", 1)[-1]
    tx = (event.get("transaction") or {}).get("id")
    if tx is not None:
        return (tracking_id, vendor, event_type, str(tx))
    total = (event.get("package") or event.get("basket") or {}).get("total") or {}
    return (tracking_id, vendor, event_type, event["context"]["id"],
            parse_time(meta["ts"]), meta.get("url"), str(total.get("value")),
            str(total.get("currency")).upper())


def reference_counts(root: Path) -> dict[str, Any]:
    """Kept, rejected, duplicate, offline and matched counts per vendor."""
    counts: dict[str, Any] = {}
    kept: dict[tuple[Any, ...], tuple[tuple[Any, ...], str, str, dict[str, Any]]] = {}
    for vendor in ("responsetap", "infinity"):
        c = counts[vendor] = {"rejected": {}, "duplicates": 0, "events": 0}
        for path in data_files(root / vendor):
            rel = str(path.relative_to(root))
            for number, raw in read_lines(path):
                try:
                    line = json.loads(raw)
                except ValueError:
                    line = None
                received = parse_received(line)
                reason = None if received is not None else "invalid_line"
                events: Any = None
                if received is not None:
                    try:
                        events = json.loads(line["body"]).get("events")
                    except (ValueError, TypeError, AttributeError):
                        events = None
                    if not isinstance(events, list):
                        reason = "invalid_body"
                if reason:
                    c["rejected"][reason] = c["rejected"].get(reason, 0) + 1
                    continue
                assert received is not None and isinstance(events, list)
                for position, event in enumerate(events):
                    c["events"] += 1
                    reason = check_event(event, received)
                    if reason:
                        c["rejected"][reason] = c["rejected"].get(reason, 0) + 1
                        continue
                    key = dedup_key(vendor, line["tracking_id"], event)
                    order = (received, rel, number, position)
                    if key in kept:
                        c["duplicates"] += 1
                        if order >= kept[key][0]:
                            continue
                    kept[key] = (order, vendor, line["tracking_id"], event)
    views: dict[tuple[str, str], list[tuple[datetime, int]]] = {}
    earliest: dict[tuple[str, str, int], datetime] = {}
    for path in data_files(root / "views"):
        for _, raw in read_lines(path):
            try:
                view = json.loads(raw)
                meta, context = view["meta"], view["context"]
                key = (meta["trackingId"], context["id"], int(context["viewNumber"]))
                ts = parse_time(meta["ts"])
            except (ValueError, KeyError, TypeError):
                continue
            if ts is None or not key[0] or not key[1]:
                continue
            if key not in earliest or ts < earliest[key]:
                earliest[key] = ts
    for (tracking_id, context_id, view_number), ts in earliest.items():
        views.setdefault((tracking_id, context_id), []).append((ts, view_number))
    for vendor in ("responsetap", "infinity"):
        counts[vendor].update(kept=0, offline=0, matched=0)
    for _, vendor, tracking_id, event in kept.values():
        c = counts[vendor]
        c["kept"] += 1
        context_id = event["context"]["id"]
        if vendor == "responsetap" and context_id.lower().startswith(OFFLINE):
            c["offline"] += 1
            continue
        ts = parse_time(event["meta"]["ts"])
        assert ts is not None
        before = [v for v in views.get((tracking_id, context_id), []) if v[0] <= ts]
        if before and ts - max(before)[0] <= MATCH_WINDOW:
            c["matched"] += 1
    return counts


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out in (first, second):
        generate(out, "--days", "2", "--drops", "2")
    generate(other, "--days", "2", "--drops", "2", "--seed", "7")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel
    assert any(
        (first / rel).read_bytes() != (other / rel).read_bytes()
        for rel in files if (other / rel).is_file() and rel.suffix == ".ndjson"
    )


def test_layout_and_ignored_files(landing: Path) -> None:
    summary = json.loads((landing / GEN.SUMMARY_NAME).read_text())
    pattern = re.compile(
        r"(responsetap|infinity|views)/\d{4}/\d{2}/\d{2}/[\w.-]+\.ndjson(\.gz)?")
    for path in data_files(landing):
        assert pattern.fullmatch(str(path.relative_to(landing))), path
    stems = {p.name.split(".")[0] for p in data_files(landing / "views")}
    for tracking_id in summary["tracking_ids"]:
        assert f"views-{tracking_id}-20261101-am" in stems
    for rel in summary["ignored_files"]:
        assert (landing / rel).is_file()
        assert not rel.endswith((".ndjson", ".ndjson.gz"))
    folders = summary["folders"]
    assert folders["views"]["distinct_views"] == 6000
    calls = sum(folders[v]["events_generated"] for v in ("responsetap", "infinity"))
    assert calls == 1500
    for folder in ("responsetap", "infinity", "views"):
        assert folders[folder]["gzip_files"] >= 1
        assert folders[folder]["files_without_final_newline"] >= 1


def test_drops_add_up_to_the_landing_folder(landing: Path, tmp_path: Path) -> None:
    drops = tmp_path / "drops"
    summary = generate(drops, "--drops", "3")
    assert sorted(p.name for p in drops.iterdir()) == [
        GEN.SUMMARY_NAME, "drop_01", "drop_02", "drop_03"]
    drop_of = {}  # file name -> drop; names are unique across drops
    for path in data_files(drops):
        assert path.name not in drop_of
        drop_of[path.name] = path.relative_to(drops).parts[0]
    # a retry or late view lands in a later drop than its day's own files
    for name, drop in drop_of.items():
        if "-from-" in name:
            source_day = name.split("-from-")[1].split(".")[0]
            kind = re.split(r"-\d{8}-", name)[0]  # rt, inf or views-<tracking id>
            own_files = (f"{kind}-{source_day}-am", f"{kind}-{source_day}-pm")
            own = [d for n, d in drop_of.items() if n.startswith(own_files)]
            assert own and all(drop > d for d in own), name
    for drop in ("drop_01", "drop_02", "drop_03"):
        lines = sum(1 for p in data_files(drops / drop) for _ in read_lines(p))
        assert lines == sum(v for k, v in summary["drops"][drop].items()
                            if k.startswith("lines."))
    # copied one after another, the drops are the single landing folder
    merged = tmp_path / "merged"
    for drop in sorted(drops.glob("drop_*")):
        shutil.copytree(drop, merged, dirs_exist_ok=True)
    expected = {p.relative_to(landing): p.read_bytes() for p in data_files(landing)}
    found = {p.relative_to(merged): p.read_bytes() for p in data_files(merged)}
    assert found == expected


def test_some_first_received_copies_land_in_a_later_drop(tmp_path: Path) -> None:
    """Rule 4 across drops: the copy to keep can arrive after its retry was
    built, so incremental builds must replace an event already built."""
    drops = tmp_path / "drops"
    generate(drops, "--drops", "3", "--duplicate-share", "0.2")
    copies: dict[tuple[Any, ...], list[tuple[datetime, str]]] = {}
    for drop in sorted(drops.glob("drop_*")):
        for vendor in ("responsetap", "infinity"):
            for path in data_files(drop / vendor):
                for _, raw in read_lines(path):
                    try:
                        line = json.loads(raw)
                        received = parse_received(line)
                        events = json.loads(line["body"])["events"]
                    except (ValueError, TypeError, KeyError):
                        continue
                    if received is None:
                        continue
                    for event in events:
                        if check_event(event, received) is None:
                            key = dedup_key(vendor, line["tracking_id"], event)
                            copies.setdefault(key, []).append((received, drop.name))
    retried = [found for found in copies.values() if len(found) > 1]
    kept_later = [found for found in retried
                  if min(found)[1] > min(drop for _, drop in found)]
    assert retried and 0 < len(kept_later) < len(retried)


def test_lines_parse_except_the_broken_ones(landing: Path) -> None:
    summary = json.loads((landing / GEN.SUMMARY_NAME).read_text())["folders"]
    for folder in ("responsetap", "infinity", "views"):
        prefix = ("broken_view_lines." if folder == "views"
                  else "rejected_line_variants.invalid_line.")
        expected = sum(summary[folder].get(prefix + kind, 0)
                       for kind in ("cut_off", "not_json", "blank"))
        broken = lines = 0
        for path in data_files(landing / folder):
            for _, raw in read_lines(path):  # also proves gzip files decompress
                lines += 1
                try:
                    json.loads(raw)
                except ValueError:
                    broken += 1
        assert lines == summary[folder]["lines"]
        assert broken == expected > 0, folder


def test_reference_rules_agree_with_summary(landing: Path) -> None:
    summary = json.loads((landing / GEN.SUMMARY_NAME).read_text())
    reference = reference_counts(landing)
    for vendor in ("responsetap", "infinity"):
        designed, found = summary["folders"][vendor], reference[vendor]
        rejected = {k.split(".", 1)[1]: v for k, v in designed.items()
                    if k.startswith(("rejected_events.", "rejected_lines."))}
        assert found["rejected"] == rejected, vendor
        assert found["kept"] == designed["kept_events"]
        assert found["duplicates"] == designed["duplicate_events"]
        assert found["offline"] == designed.get("offline_events", 0)
        assert found["matched"] == designed["kept_events_by_design.matched"]
    assert set(reference["responsetap"]["rejected"]) | set(
        reference["infinity"]["rejected"]) == {
        "invalid_line", "invalid_body", "invalid_event", "missing_context_id",
        "unknown_event_type", "invalid_ts", "invalid_total"}


def test_a_file_may_span_arrow_batches() -> None:
    table = duckdb.sql(
        "select (range >= 300000)::integer as fid, concat(range, chr(10)) as line "
        "from range(500000)"
    ).to_arrow_table()
    assert table.column(1).num_chunks > 2
    runs = list(GEN.file_runs(table))
    assert [(fid, lines) for fid, _, lines in runs] == [(0, 300000), (1, 200000)]
    first = b"".join(bytes(p) for p in runs[0][1])
    assert first.startswith(b"0\n1\n") and first.endswith(b"299999\n")


def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("not ours")
    with pytest.raises(SystemExit):
        GEN.main([str(tmp_path), *SMALL, "--overwrite"])
    assert (tmp_path / "keep.txt").exists()


def test_help_documents_every_option() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--help"],
                            capture_output=True, text=True, check=True)
    for option in ("--days", "--start-date", "--properties", "--views", "--calls",
                   "--seed", "--offline-share", "--infinity-share",
                   "--duplicate-share", "--late-view-share", "--max-view-lag-days",
                   "--reject-share", "--match-rate", "--gzip-share", "--drops",
                   "--overwrite", "--quiet", "OUT_DIR"):
        assert option in result.stdout
