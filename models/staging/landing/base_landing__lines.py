"""Every line of every landing file, read once: the file manifest of the project.

The landing folder (contract section 1) holds *.ndjson and *.ndjson.gz files
under responsetap/, infinity/ and views/. Lines are split on b"\\n" exactly as
the contract says, so a blank line, a cut-off line or a line with bytes that
are not UTF-8 still becomes a row (to be quarantined downstream) instead of
being skipped by a CSV/JSON reader or failing the build.

Which files: the usable files of the manifest (base_landing__files, which
checked that each can be read whole) whose lines are not here yet. A file
already here is never read again (landing files never change), so a build
with no new files reads nothing.
"""

import datetime as dt
import gzip
import os
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Lines per Arrow batch handed to DuckDB: bounds memory on very large files.
BATCH_LINES = 500_000
# Files split ahead of the one DuckDB is storing, and the threads doing it.
READ_AHEAD_FILES = 4
READ_AHEAD_THREADS = 2

SCHEMA = pa.schema(
    [
        ("landing_folder", pa.string()),
        ("source_file", pa.string()),
        ("line_number", pa.int32()),
        ("line", pa.large_string()),
        ("is_valid_utf8", pa.bool_()),
        ("loaded_at", pa.timestamp("us")),
    ]
)


def files_to_read(dbt, session) -> list[tuple[str, str]]:
    """(source_file, path relative to landing_dir) of each usable file in
    the manifest (base_landing__files) whose lines are not here yet."""
    manifest = dbt.ref("base_landing__files")
    read_already = (
        f"select distinct source_file from {dbt.this}" if dbt.is_incremental else
        "select null as source_file where false"
    )
    rows = manifest.query(
        "manifest",
        f"""
        with latest as (
            select * from manifest
            qualify row_number() over (
                partition by source_file order by checked_at desc
            ) = 1
        )
        select source_file, file_path
        from latest
        where
            read_error is null
            -- An empty file has no lines to read: not read again each build.
            and line_count > 0
            and source_file not in ({read_already})
        order by source_file
        """
    ).fetchall()
    return [(source_file, os.fsdecode(bytes(path))) for source_file, path in rows]


def read_file_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read()
    return gzip.decompress(data) if path.endswith(".gz") else data


def split_lines(data: bytes) -> tuple[pa.Array, pa.Array]:
    """Lines (as text) and their UTF-8 validity; a final b"\\n" ends the last line.

    Arrow splits and checks the bytes without the GIL, so files can be split
    on worker threads while DuckDB stores the lines already split.
    """
    if not data:
        return pa.array([], pa.large_string()), pa.array([], pa.bool_())
    if data.endswith(b"\n"):
        data = data[:-1]
    raw_lines = pc.split_pattern(pa.array([data], pa.large_binary()), b"\n").flatten()
    try:
        lines = raw_lines.cast(pa.large_string())
    except pa.ArrowInvalid:
        # Rare: some bytes are not UTF-8; decode line by line so only the bad
        # lines are flagged (their bad bytes become U+FFFD).
        texts, valid = [], []
        for raw in raw_lines.to_pylist():
            try:
                texts.append(raw.decode("utf-8"))
                valid.append(True)
            except UnicodeDecodeError:
                texts.append(raw.decode("utf-8", errors="replace"))
                valid.append(False)
        return pa.array(texts, pa.large_string()), pa.array(valid, pa.bool_())
    return lines, pa.repeat(pa.scalar(True), len(lines))


def read_and_split(path: str) -> tuple[pa.Array, pa.Array] | None:
    """The file's lines, or None when it cannot be read now (base_landing__files
    checked it; should it fail here all the same, it is read next build)."""
    try:
        return split_lines(read_file_bytes(path))
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        print(f"base_landing__lines: skipped {path!r}: {error}", file=sys.stderr, flush=True)
        return None


def line_batches(
    landing_dir: str, files: list[tuple[str, str]], loaded_at: dt.datetime
) -> Iterator[pa.RecordBatch]:
    paths = [os.path.join(landing_dir, relative) for _, relative in files]
    # Files are read, unzipped and split ahead on threads (in order, a few at
    # a time, which bounds memory) while DuckDB stores the earlier ones.
    with ThreadPoolExecutor(max_workers=READ_AHEAD_THREADS) as pool:
        ahead = deque(pool.submit(read_and_split, path) for path in paths[:READ_AHEAD_FILES])
        for done, (source_file, _) in enumerate(files, start=1):
            split = ahead.popleft().result()
            next_file = done - 1 + READ_AHEAD_FILES
            if next_file < len(paths):
                ahead.append(pool.submit(read_and_split, paths[next_file]))
            if split is not None:
                yield from file_batches(source_file, *split, loaded_at)
            if done % 50 == 0 or done == len(files):
                print(
                    f"base_landing__lines: read {done}/{len(files)} new files",
                    file=sys.stderr,
                    flush=True,
                )


def file_batches(
    relative_path: str, lines: pa.Array, valid: pa.Array, loaded_at: dt.datetime
) -> Iterator[pa.RecordBatch]:
    folder = relative_path.split("/", 1)[0]
    for start in range(0, len(lines), BATCH_LINES):
        stop = min(start + BATCH_LINES, len(lines))
        size = stop - start
        yield pa.record_batch(
            [
                pa.repeat(pa.scalar(folder), size),
                pa.repeat(pa.scalar(relative_path), size),
                pa.array(np.arange(start + 1, stop + 1, dtype=np.int32)),
                lines.slice(start, size),
                valid.slice(start, size),
                pa.repeat(pa.scalar(loaded_at, pa.timestamp("us")), size),
            ],
            schema=SCHEMA,
        )


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="append")
    landing_dir = dbt.config.get("landing_dir")
    files = files_to_read(dbt, session)

    # Monotonic, so a clock set back never hides lines from staging.
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if dbt.is_incremental:
        (newest,) = session.sql(f"select max(loaded_at) from {dbt.this}").fetchall()[0]
        if newest is not None and loaded_at <= newest:
            loaded_at = newest + dt.timedelta(microseconds=1)
    return pa.RecordBatchReader.from_batches(SCHEMA, line_batches(landing_dir, files, loaded_at))
