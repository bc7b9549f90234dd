"""Contract section 1: how a landing folder may look, and what is read of it.

A file that cannot be read whole is not used, never fails the build nor
holds back the files beside it, is listed with its error
(landing_files_unreadable), and is read once it changes. The folder and the
files are paths, never patterns: `[`, `*`, `?`, `{`, quotes, backslashes
and names that are not UTF-8 all build. Every case is compared with the
reference reading of the contract, which skips the same files.
"""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import reference
from conftest import ENGINE, SAMPLE_LANDING, DbtRun
from test_end_to_end import assert_warehouse_equals_reference

# A good ResponseTap file of the sample, as the content of the bad files.
GOOD_CALLS = SAMPLE_LANDING / "responsetap" / "2026" / "11" / "21" / "rt-acme-0003.ndjson"
GOOD_GZIP = SAMPLE_LANDING / "responsetap" / "2026" / "11" / "20" / "rt-acme-0002.ndjson.gz"


# Each of these characters in a folder name once broke a build: glob
# patterns, a Python format field, quotes.
ODD_FOLDER = "odd [1] {x} {name} *? o'brien"


def land_unreadable_files(folder: Path) -> dict[str, str]:
    """Write one file of each unreadable kind; returns source_file -> the
    words its error must hold."""
    calls = folder / "responsetap" / "2026" / "11" / "22"
    calls.mkdir(parents=True)
    gzipped = gzip.compress(GOOD_CALLS.read_bytes())
    (calls / "truncated.ndjson.gz").write_bytes(gzipped[: len(gzipped) // 2])
    (calls / "plain-text.ndjson.gz").write_bytes(GOOD_CALLS.read_bytes())
    (calls / "trailing-bytes.ndjson.gz").write_bytes(gzipped + b"junk")
    expected = {
        "responsetap/2026/11/22/truncated.ndjson.gz": "truncated",
        "responsetap/2026/11/22/plain-text.ndjson.gz": "gzip",
        "responsetap/2026/11/22/trailing-bytes.ndjson.gz": "after the gzip stream",
    }
    if ENGINE.name != "spark":  # Spark follows links (README, engines)
        outside = folder.parent / "outside.ndjson"
        outside.write_bytes(GOOD_CALLS.read_bytes())
        (calls / "link-out.ndjson").symlink_to(outside)
        expected["responsetap/2026/11/22/link-out.ndjson"] = "outside"
    if ENGINE.name == "spark":  # Spark's text source does not say why
        expected = dict.fromkeys(expected, "cannot be read whole")
    return expected


def unreadable_files(run: DbtRun) -> dict[str, str]:
    frame = run.warehouse().table("landing_files_unreadable", ["source_file", "read_error"])
    return dict(zip(frame["source_file"], frame["read_error"], strict=True))


def test_unreadable_files_are_listed_skipped_and_read_once_they_change(
    build: Callable[..., DbtRun], tmp_path: Path
) -> None:
    # Under an odd folder name too: on Spark this is the test of both.
    landing = tmp_path / ODD_FOLDER / "landing"
    shutil.copytree(SAMPLE_LANDING, landing)
    expected_errors = land_unreadable_files(landing)

    run = build(landing, "unreadable")
    run.check()
    listed = unreadable_files(run)
    assert set(listed) == set(expected_errors)
    for source_file, words in expected_errors.items():
        assert words in listed[source_file], (source_file, listed[source_file])
    # The good files beside them were all read: the same as the reference,
    # which skips exactly the unreadable files.
    assert_warehouse_equals_reference(
        run.warehouse(), reference.build(str(landing)), "unreadable files skipped"
    )

    # The truncated file is replaced whole (as a re-sent file would be):
    # the next plain build reads it; the others stay listed.
    fixed = landing / "responsetap/2026/11/22/truncated.ndjson.gz"
    fixed.write_bytes(GOOD_GZIP.read_bytes())
    run = build(landing, "unreadable", full_refresh=False)
    run.check()
    assert set(unreadable_files(run)) == set(expected_errors) - {
        "responsetap/2026/11/22/truncated.ndjson.gz"
    }
    assert_warehouse_equals_reference(
        run.warehouse(), reference.build(str(landing)), "changed file read"
    )


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads any file: no permission can be taken away"
)
def test_file_without_read_permission_is_listed_not_fatal(
    build: Callable[..., DbtRun], tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_LANDING, landing)
    locked = landing / "responsetap" / "2026" / "11" / "21" / "rt-acme-0003.ndjson"
    locked.chmod(0)
    run = build(landing)
    run.check()
    assert "responsetap/2026/11/21/rt-acme-0003.ndjson" in unreadable_files(run)


@pytest.mark.skipif(
    ENGINE.name == "spark",
    reason="the unreadable-files test builds under the same folder name (CI time)",
)
def test_folder_and_file_names_are_paths_not_patterns(
    build: Callable[..., DbtRun], tmp_path: Path
) -> None:
    landing = tmp_path / ODD_FOLDER / "landing"
    shutil.copytree(SAMPLE_LANDING, landing)
    day = landing / "responsetap" / "2026" / "11" / "21"
    shutil.copy2(GOOD_CALLS, day / "back\\slash [2].ndjson")
    if ENGINE.name != "spark":  # the JVM's file names are not bytes
        # A file name whose bytes are not UTF-8 (Latin-1 'é').
        shutil.copy2(GOOD_CALLS, os.path.join(os.fsencode(day), b"caf\xe9.ndjson"))

    run = build(landing)
    run.check()
    warehouse = run.warehouse()
    rejected = warehouse.table("call_events_rejected", ["source_file"])
    if ENGINE.name != "spark":
        assert "responsetap/2026/11/21/caf\\xe9.ndjson" in set(rejected["source_file"])
    assert "responsetap/2026/11/21/back\\slash [2].ndjson" in set(rejected["source_file"])
    assert_warehouse_equals_reference(
        warehouse, reference.build(str(landing)), "odd folder and file names"
    )


@pytest.mark.duckdb_only
def test_a_build_with_nothing_new_reads_no_file(
    build: Callable[..., DbtRun], tmp_path: Path
) -> None:
    """The sample holds an empty file: it is checked once, never read again,
    and a second build says it read nothing."""
    landing = tmp_path / "landing"
    shutil.copytree(SAMPLE_LANDING, landing)
    build(landing, "nothing_new").check()
    again = build(landing, "nothing_new", full_refresh=False)
    again.check()
    assert "base_landing__files: checked 0 new or changed files" in again.output
    assert "base_landing__lines: read" not in again.output
