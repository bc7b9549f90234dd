"""Load the landing folder into PostgreSQL: every line of every new file, with COPY.

PostgreSQL cannot read the landing files itself (the server may be another
machine), so this loader reads them and copies their lines into raw tables
that the dbt project reads (source `landing_raw`, model base_landing__lines):

    landing_raw.landing_lines   landing_folder, source_file, line_number, line,
                                is_valid_utf8, loaded_at: one row a line
    landing_raw.landing_files   source_file, landing_folder, line_count,
                                loaded_at, size_bytes, modified_at,
                                read_error, checked_at: the manifest, one
                                row a file (its latest check)

Lines follow base_landing__lines.py (the DuckDB reader) exactly: split on
b"\\n", numbered from 1, a final b"\\n" ends the last line, *.gz decompressed,
bytes that are not UTF-8 replaced with U+FFFD and the line flagged
(is_valid_utf8 false). PostgreSQL text cannot hold NUL bytes, so a line with
one is flagged the same way, its NULs replaced with U+FFFD: it still arrives,
and staging quarantines it as an invalid line.

A file already in the manifest is never loaded again (landing files never
change); each file is loaded in one transaction, so a crash never leaves half
a file. A file that cannot be read whole (broken or truncated gzip, bytes
after the gzip stream, no permission, a link out of the landing folder) is
recorded with its error instead, never stops the other files, and is checked
again once its size or modification time changes. The folder is listed as a
path (os.walk), never as a pattern. One loader runs at a time (an advisory
lock).

Connection: the same variables and defaults as profiles.yml's postgres target
(DBT_POSTGRES_HOST, _PORT, _USER, _PASSWORD, _DATABASE).

Usage:
    python scripts/load_landing_postgres.py --landing-dir data/sample_landing
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
from dataclasses import dataclass

import psycopg2
from landing_reader import display_path, read_whole  # scripts/, beside this file

LANDING_FOLDERS = ("responsetap", "infinity", "views")
LANDING_SUFFIXES = (".ndjson", ".ndjson.gz")
DEFAULT_SCHEMA = "landing_raw"
# Lines per COPY: bounds the memory one buffer takes on very large files.
BATCH_LINES = 200_000
# Any constant: the key of the advisory lock that keeps loaders one at a time.
LOCK_KEY = 7_300_115_001
REPLACEMENT = "\ufffd"
# COPY's text format: backslash, tab, carriage return (and newline) escaped.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\r": "\\r", "\n": "\\n"})


class LoadError(Exception):
    """A problem the user can fix; printed without a traceback."""


def log(message: str) -> None:
    print(f"load_landing_postgres: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Reading the files (the same semantics as base_landing__lines.py)
# --------------------------------------------------------------------------


def list_landing_files(landing_dir: str) -> list[str]:
    """Paths relative to landing_dir (as the OS names them) of landing files,
    listed as paths, never as patterns."""
    found = []
    for folder in LANDING_FOLDERS:
        top = os.path.join(landing_dir, folder)
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for name in files:
                if name.endswith(LANDING_SUFFIXES):
                    found.append(os.path.relpath(os.path.join(root, name), landing_dir))
    return sorted(found, key=display_path)


def read_file_bytes(landing_dir: str, relative: str) -> bytes:
    """The file's text bytes; raises ValueError or OSError when the file
    cannot be read whole (contract section 1): such a file is not used."""
    return read_whole(landing_dir, os.path.join(landing_dir, relative))


def file_stat(landing_dir: str, relative: str) -> tuple[int | None, dt.datetime | None]:
    try:
        stat = os.stat(os.path.join(landing_dir, relative))
    except OSError:
        return None, None
    modified = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).replace(tzinfo=None)
    return stat.st_size, modified


def decode_line(raw: bytes) -> tuple[str, bool]:
    """(text, is_valid_utf8) of one line; NULs and bad bytes become U+FFFD."""
    try:
        text = raw.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        valid = False
    if "\x00" in text:
        text = text.replace("\x00", REPLACEMENT)
        valid = False
    return text, valid


def split_lines(data: bytes) -> list[tuple[str, bool]]:
    """(text, is_valid_utf8) of each line; a final b"\\n" ends the last line."""
    if not data:
        return []
    if data.endswith(b"\n"):
        data = data[:-1]
    if b"\x00" not in data:
        try:
            # The common case: the whole file is UTF-8, decoded at once.
            return [(line, True) for line in data.decode("utf-8").split("\n")]
        except UnicodeDecodeError:
            pass
    return [decode_line(raw) for raw in data.split(b"\n")]


# --------------------------------------------------------------------------
# Writing to PostgreSQL
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_environment(cls) -> Connection:
        """profiles.yml's postgres target: the same variables and defaults."""
        return cls(
            host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
            port=int(os.environ.get("DBT_POSTGRES_PORT", "5433")),
            user=os.environ.get("DBT_POSTGRES_USER", "call_tracking"),
            password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
            database=os.environ.get("DBT_POSTGRES_DATABASE", "call_tracking"),
        )

    def __str__(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def connect(self):  # noqa: ANN201 (psycopg2 has no type hints)
        try:
            return psycopg2.connect(
                host=self.host,
                port=self.port,
                user=self.user,
                password=self.password or None,
                dbname=self.database,
                connect_timeout=10,
                application_name="load_landing_postgres",
            )
        except psycopg2.OperationalError as error:
            detail = " ".join(str(error).split())
            raise LoadError(
                f"cannot connect to PostgreSQL {self}: {detail}\n"
                "Start the local server with `make postgres-start`, or point "
                "DBT_POSTGRES_HOST/_PORT/_USER/_PASSWORD/_DATABASE at yours."
            ) from None


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_tables(cursor, schema: str) -> None:  # noqa: ANN001
    q = quote_ident(schema)
    cursor.execute(f"create schema if not exists {q}")
    cursor.execute(
        f"""
        create table if not exists {q}.landing_lines (
            landing_folder text not null,
            source_file text not null,
            line_number integer not null,
            line text not null,
            is_valid_utf8 boolean not null,
            loaded_at timestamp not null
        )
        """
    )
    cursor.execute(
        f"create index if not exists landing_lines_source_file "
        f"on {q}.landing_lines (source_file)"
    )
    cursor.execute(
        f"""
        create table if not exists {q}.landing_files (
            source_file text primary key,
            landing_folder text not null,
            line_count integer,
            loaded_at timestamp
        )
        """
    )
    # One row a file, its latest check: unusable files keep their error and
    # are checked again once their size or modification time changes.
    # (Added to manifests made by earlier versions too.)
    cursor.execute(
        f"""
        alter table {q}.landing_files
            alter column line_count drop not null,
            alter column loaded_at drop not null,
            add column if not exists size_bytes bigint,
            add column if not exists modified_at timestamp,
            add column if not exists read_error text,
            add column if not exists checked_at timestamp
        """
    )


def copy_rows(
    folder: str, relative_path: str, lines: list[tuple[str, bool]], start: int,
    stop: int, loaded_at: str,
) -> io.StringIO:
    """COPY text-format rows for lines[start:stop]."""
    prefix = f"{folder.translate(COPY_ESCAPES)}\t{relative_path.translate(COPY_ESCAPES)}\t"
    suffix = {True: f"\tt\t{loaded_at}\n", False: f"\tf\t{loaded_at}\n"}
    buffer = io.StringIO()
    write = buffer.write
    for number in range(start, stop):
        text, valid = lines[number]
        write(f"{prefix}{number + 1}\t{text.translate(COPY_ESCAPES)}{suffix[valid]}")
    buffer.seek(0)
    return buffer


def record_file(cursor, schema: str, row: dict) -> None:  # noqa: ANN001
    """Upsert the manifest row of one file (its latest check)."""
    cursor.execute(
        f"""
        insert into {quote_ident(schema)}.landing_files (
            source_file, landing_folder, line_count, loaded_at, size_bytes,
            modified_at, read_error, checked_at
        ) values (
            %(source_file)s, %(landing_folder)s, %(line_count)s, %(loaded_at)s,
            %(size_bytes)s, %(modified_at)s, %(read_error)s, %(checked_at)s
        )
        on conflict (source_file) do update set
            line_count = excluded.line_count,
            loaded_at = excluded.loaded_at,
            size_bytes = excluded.size_bytes,
            modified_at = excluded.modified_at,
            read_error = excluded.read_error,
            checked_at = excluded.checked_at
        """,
        row,
    )


def load_file(
    connection, schema: str, landing_dir: str, relative: str  # noqa: ANN001
) -> int | None:
    """Copy one file's lines and record it in the manifest, in one
    transaction; a file that cannot be read is recorded with its error
    (None is returned) and its lines are not loaded."""
    source_file = display_path(relative)
    folder = source_file.split("/", 1)[0]
    size, modified = file_stat(landing_dir, relative)
    row = {
        "source_file": source_file, "landing_folder": folder, "line_count": None,
        "loaded_at": None, "size_bytes": size, "modified_at": modified,
        "read_error": None,
    }
    try:
        lines = split_lines(read_file_bytes(landing_dir, relative))
    except OSError as error:
        row["read_error"] = f"cannot be read: {error.strerror or error}"
    except ValueError as error:
        row["read_error"] = str(error)
    q = quote_ident(schema)
    with connection, connection.cursor() as cursor:
        cursor.execute("select cast(clock_timestamp() at time zone 'UTC' as text)")
        (checked_at,) = cursor.fetchone()
        row["checked_at"] = checked_at
        if row["read_error"] is not None:
            log(f"not used: {source_file}: {row['read_error']}")
            record_file(cursor, schema, row)
            return None
        for start in range(0, len(lines), BATCH_LINES):
            stop = min(start + BATCH_LINES, len(lines))
            cursor.copy_expert(
                f"copy {q}.landing_lines (landing_folder, source_file, line_number, "
                "line, is_valid_utf8, loaded_at) from stdin",
                copy_rows(folder, source_file, lines, start, stop, checked_at),
            )
        row.update(line_count=len(lines), loaded_at=checked_at)
        record_file(cursor, schema, row)
    return len(lines)


def new_files(connection, schema: str, landing_dir: str, files: list[str]) -> list[str]:  # noqa: ANN001
    """Files never checked, and unusable files that changed since."""
    with connection.cursor() as cursor:
        cursor.execute(
            "select source_file, read_error, size_bytes, modified_at "
            f"from {quote_ident(schema)}.landing_files"
        )
        known = {row[0]: row[1:] for row in cursor.fetchall()}
    todo = []
    for relative in files:
        state = known.get(display_path(relative))
        if state is None:
            todo.append(relative)
        elif state[0] is not None and tuple(state[1:]) != file_stat(landing_dir, relative):
            todo.append(relative)
    return todo


def load(landing_dir: str, target: Connection, schema: str) -> tuple[int, int]:
    """Load every new file; returns (files loaded, lines loaded)."""
    if not os.path.isdir(landing_dir):
        raise LoadError(
            f"landing_dir {landing_dir!r} is not a folder "
            f"(resolved to {os.path.abspath(landing_dir)!r}). Point --landing-dir at "
            "the folder that holds responsetap/, infinity/ and views/."
        )
    files = list_landing_files(landing_dir)
    connection = target.connect()
    try:
        with connection, connection.cursor() as cursor:
            create_tables(cursor, schema)
        # Session-level: held until the connection closes.
        with connection.cursor() as cursor:
            cursor.execute("select pg_advisory_lock(%s)", (LOCK_KEY,))
        connection.commit()
        todo = new_files(connection, schema, landing_dir, files)
        log(
            f"{len(files)} landing files in {landing_dir}, {len(files) - len(todo)} "
            f"loaded before, {len(todo)} to load into {target} ({schema})"
        )
        total_lines = 0
        started = dt.datetime.now()
        for done, relative_path in enumerate(todo, start=1):
            total_lines += load_file(connection, schema, landing_dir, relative_path) or 0
            if done % 50 == 0 or done == len(todo):
                seconds = (dt.datetime.now() - started).total_seconds()
                log(f"loaded {done}/{len(todo)} files, {total_lines} lines ({seconds:.1f} s)")
        if todo:
            with connection, connection.cursor() as cursor:
                cursor.execute(f"analyze {quote_ident(schema)}.landing_lines")
                cursor.execute(f"analyze {quote_ident(schema)}.landing_files")
        return len(todo), total_lines
    except psycopg2.Error as error:
        detail = " ".join(str(error).split())
        raise LoadError(f"PostgreSQL {target}: {detail}") from None
    finally:
        connection.close()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Copy the lines of every landing file not loaded before into PostgreSQL "
            "(<schema>.landing_lines, manifest <schema>.landing_files), for "
            "`dbt build --target postgres`."
        ),
        epilog=(
            "Connection: DBT_POSTGRES_HOST (127.0.0.1), DBT_POSTGRES_PORT (5433), "
            "DBT_POSTGRES_USER (call_tracking), DBT_POSTGRES_PASSWORD, "
            "DBT_POSTGRES_DATABASE (call_tracking), as in profiles.yml."
        ),
    )
    parser.add_argument(
        "--landing-dir",
        default="data/sample_landing",
        help="folder holding responsetap/, infinity/ and views/ (default: %(default)s)",
    )
    parser.add_argument(
        "--schema",
        default=DEFAULT_SCHEMA,
        help="schema of the raw tables (default: %(default)s; the dbt source reads it)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        files, lines = load(args.landing_dir, Connection.from_environment(), args.schema)
    except LoadError as error:
        log(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        log("interrupted (files loaded so far are complete; the rest load next time)")
        return 130
    log(f"done: {files} new files, {lines} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
