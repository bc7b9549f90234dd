"""Where the DuckDB warehouse file is, and opening it with clear errors.

Shared by the scripts that read the warehouse; the path rule is the one
profiles.yml uses (DBT_DUCKDB_PATH, else target/call_tracking.duckdb).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "target/call_tracking.duckdb"


def database_path() -> Path:
    """The warehouse file dbt writes to, as profiles.yml resolves it."""
    path = Path(os.environ.get("DBT_DUCKDB_PATH", DEFAULT_DATABASE))
    return path if path.is_absolute() else Path.cwd() / path


def connect(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, or exit with a message that says what to do."""
    if read_only and not path.exists():
        sys.exit(
            f"error: no warehouse at {path}. Build it first: "
            "`make run` (or `dbt build`), or set DBT_DUCKDB_PATH to the "
            "file dbt built."
        )
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        sys.exit(
            f"error: the warehouse file {path} is locked by another process.\n"
            f"  DuckDB says: {error}\n"
            "  Only one process can write to a DuckDB file at a time. Close the "
            "other one (a running dbt, a notebook or SQL client holding the "
            "file), or point DBT_DUCKDB_PATH at another file, then run again."
        )


def find_relation(
    connection: duckdb.DuckDBPyConnection, name: str
) -> str | None:
    """Qualified name of the table or view called `name`, in any schema."""
    row = connection.execute(
        "select table_schema from information_schema.tables "
        "where table_name = ? order by table_schema limit 1",
        [name],
    ).fetchone()
    return f'"{row[0]}"."{name}"' if row else None
