"""The file manifest: one row per landing file each time it is checked.

Every `*.ndjson` / `*.ndjson.gz` file under responsetap/, infinity/ and
views/ of the landing folder is listed with os.walk (the folder is a path,
never a glob or format pattern: it may hold `[`, `*`, `{` or quotes), and
each file not seen before is read whole once to check it:

- a file that can be read whole gets `read_error` null and its line count;
  base_landing__lines then reads its lines, and it is never checked again;
- a file that cannot (a broken or truncated gzip stream, bytes after the
  gzip stream, a plain file named `.gz`, no permission, a link to a file
  outside the landing folder) gets its error and is not used. It never
  fails the build and is checked again once its size or modification time
  changes, in a later build.

So the latest row of each file says whether it is in use (see the
landing_files_unreadable diagnostic). Files are checked on threads: gzip
and the byte scans run without the GIL.
"""

import datetime as dt
import os
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa

LANDING_FOLDERS = ("responsetap", "infinity", "views")
LANDING_SUFFIXES = (".ndjson", ".ndjson.gz")
CHECK_THREADS = 2

SCHEMA = pa.schema(
    [
        ("source_file", pa.string()),
        ("landing_folder", pa.string()),
        ("file_path", pa.binary()),
        ("size_bytes", pa.int64()),
        ("modified_at", pa.timestamp("us")),
        ("line_count", pa.int64()),
        ("read_error", pa.string()),
        ("checked_at", pa.timestamp("us")),
    ]
)


def display_path(relative: str) -> str:
    """The path as text: bytes of a name that are not UTF-8 become \\xNN."""
    raw = relative.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace").replace(os.sep, "/")


def list_landing_files(landing_dir: str) -> list[tuple[str, str]]:
    """(path relative to landing_dir, vendor folder) of every landing file."""
    found = []
    for folder in LANDING_FOLDERS:
        for root, dirs, names in os.walk(os.path.join(landing_dir, folder)):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(LANDING_SUFFIXES):
                    path = os.path.join(root, name)
                    found.append((os.path.relpath(path, landing_dir), folder))
    return found


def read_whole(path: str) -> bytes:
    """The file's text bytes; raises ValueError (or OSError) when unusable."""
    with open(path, "rb") as handle:
        data = handle.read()
    if not path.endswith(".gz"):
        return data
    # wbits 31: exactly one gzip stream, header and checksum checked.
    stream = zlib.decompressobj(wbits=31)
    try:
        text = stream.decompress(data) + stream.flush()
    except zlib.error as error:
        raise ValueError(f"not a readable gzip stream ({error})") from None
    if not stream.eof:
        raise ValueError("truncated gzip stream")
    if stream.unused_data:
        raise ValueError(
            f"{len(stream.unused_data)} bytes after the gzip stream"
        )
    return text


def count_lines(data: bytes) -> int:
    """Lines split on \\n; a final \\n ends the last line."""
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def check_file(landing_dir: str, relative: str) -> tuple[int | None, str | None]:
    """(line_count, read_error) of one file."""
    path = os.path.join(landing_dir, relative)
    real_root = os.path.realpath(landing_dir)
    if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
        return None, "a link to a file outside landing_dir (not followed)"
    try:
        return count_lines(read_whole(path)), None
    except OSError as error:
        return None, f"cannot be read: {error.strerror or error}"
    except ValueError as error:
        return None, str(error)


def file_stat(landing_dir: str, relative: str) -> tuple[int, dt.datetime]:
    stat = os.stat(os.path.join(landing_dir, relative))
    modified = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
    return stat.st_size, modified.replace(tzinfo=None)


def latest_checks(session, this) -> dict[str, tuple]:
    """Per file already in the manifest: (size, modified_at, read_error)."""
    rows = session.sql(
        f"""
        select source_file, size_bytes, modified_at, read_error
        from {this}
        qualify row_number() over (
            partition by source_file order by checked_at desc
        ) = 1
        """
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def needs_check(known: tuple | None, size: int, modified: dt.datetime) -> bool:
    if known is None:
        return True
    known_size, known_modified, known_error = known
    # A usable file never changes; an unusable one is checked once changed.
    return known_error is not None and (known_size, known_modified) != (
        size,
        modified,
    )


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="append")
    landing_dir = dbt.config.get("landing_dir")
    if not os.path.isdir(landing_dir):
        raise FileNotFoundError(
            f"landing_dir {landing_dir!r} is not a folder "
            f"(resolved to {os.path.abspath(landing_dir)!r}). Point the var at "
            "the folder that holds responsetap/, infinity/ and views/, e.g. "
            "dbt build --vars '{landing_dir: /path/to/landing}'."
        )

    known, newest_check = {}, None
    if dbt.is_incremental:
        known = latest_checks(session, dbt.this)
        (newest_check,) = session.sql(f"select max(checked_at) from {dbt.this}").fetchall()[0]

    to_check = []
    for relative, folder in list_landing_files(landing_dir):
        try:
            size, modified = file_stat(landing_dir, relative)
        except OSError:
            size, modified = -1, None  # e.g. a dangling link: checked below
        if needs_check(known.get(display_path(relative)), size, modified):
            to_check.append((relative, folder, size, modified))

    # Monotonic, so a clock set back never hides rows from later builds.
    checked_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if newest_check is not None and checked_at <= newest_check:
        checked_at = newest_check + dt.timedelta(microseconds=1)

    with ThreadPoolExecutor(max_workers=CHECK_THREADS) as pool:
        results = list(
            pool.map(lambda item: check_file(landing_dir, item[0]), to_check)
        )
    unreadable = sum(1 for _, error in results if error is not None)
    print(
        f"base_landing__files: checked {len(to_check)} new or changed files, "
        f"{unreadable} unreadable",
        file=sys.stderr,
        flush=True,
    )
    columns = {name: [] for name in SCHEMA.names}
    for (relative, folder, size, modified), (lines, error) in zip(to_check, results, strict=True):
        columns["source_file"].append(display_path(relative))
        columns["landing_folder"].append(folder)
        columns["file_path"].append(os.fsencode(relative))
        columns["size_bytes"].append(size)
        columns["modified_at"].append(modified)
        columns["line_count"].append(lines)
        columns["read_error"].append(error)
        columns["checked_at"].append(checked_at)
    return pa.table(columns, schema=SCHEMA)
