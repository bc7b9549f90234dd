"""PostgreSQL 15: each build location gets its own database on one server.

The server is not started here: `make test-postgres` (or `make
postgres-start`) starts the local one, or the DBT_POSTGRES_* variables point
at another (the same variables and defaults as profiles.yml). An unreachable
server fails the tests with a message saying so; it never skips them.

Before each build, scripts/load_landing_postgres.py copies the landing files
not loaded before into the location's database, as a user does before
`dbt build --target postgres`.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import psycopg2
import psycopg2.extensions

from engines import Engine, Warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[3]
LOADER = PROJECT_ROOT / "scripts" / "load_landing_postgres.py"
LOADER_TIMEOUT_SECONDS = 600
# Test databases are named with this prefix; the database's comment holds
# its location, so the databases of locations that are gone can be dropped.
DATABASE_PREFIX = "ct_test_"
DATABASE_FILE = "postgres_database"


class LoaderError(RuntimeError):
    """The landing loader failed (its output is the message)."""


def connection_settings() -> dict[str, str]:
    """profiles.yml's postgres target: the same variables and defaults."""
    return {
        "host": os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
        "port": os.environ.get("DBT_POSTGRES_PORT", "5433"),
        "user": os.environ.get("DBT_POSTGRES_USER", "call_tracking"),
        "password": os.environ.get("DBT_POSTGRES_PASSWORD", ""),
        "dbname": os.environ.get("DBT_POSTGRES_DATABASE", "call_tracking"),
    }


def connect(database: str | None = None):  # noqa: ANN201 (psycopg2 has no hints)
    settings = connection_settings()
    if database is not None:
        settings["dbname"] = database
    try:
        return psycopg2.connect(
            host=settings["host"],
            port=settings["port"],
            user=settings["user"],
            password=settings["password"] or None,
            dbname=settings["dbname"],
            connect_timeout=10,
        )
    except psycopg2.OperationalError as error:
        detail = " ".join(str(error).split())
        raise RuntimeError(
            f"PostgreSQL is not reachable at {settings['user']}@{settings['host']}:"
            f"{settings['port']}/{settings['dbname']}: {detail}\n"
            "Start the local server first (`make postgres-start`; `make test-postgres` "
            "does it), or point DBT_POSTGRES_HOST/_PORT/_USER/_PASSWORD/_DATABASE at one."
        ) from None


def database_name(location: Path) -> str:
    """A valid, unique database name for a location (at most 63 bytes)."""
    resolved = str(location.resolve())
    digest = hashlib.sha1(resolved.encode()).hexdigest()[:10]
    readable = re.sub(r"[^a-z0-9]+", "_", location.name.lower()).strip("_")[:40]
    return f"{DATABASE_PREFIX}{readable}_{digest}"


class PostgresWarehouse(Warehouse):
    def __init__(self, database: str) -> None:
        self.database = database

    def __repr__(self) -> str:
        return f"PostgresWarehouse({self.database})"

    def _execute(self, sql: str, params: tuple[object, ...] = ()) -> pd.DataFrame:
        connection = connect(self.database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                names = [column[0] for column in cursor.description]
                # Decimal, datetime and None stay as they are.
                return pd.DataFrame(cursor.fetchall(), columns=names, dtype=object)
        finally:
            connection.close()

    def _query(self, sql: str) -> pd.DataFrame:
        return self._execute(sql)

    def _schemas_with(self, name: str) -> list[str]:
        found = self._execute(
            "select table_schema from information_schema.tables "
            "where table_name = %s "
            "and table_schema not in ('pg_catalog', 'information_schema') "
            "order by table_schema",
            (name,),
        )
        return list(found["table_schema"]) if len(found) else []

    def column_types(self, name: str) -> dict[str, str]:
        """PostgreSQL's own names, with their modifiers: 'numeric(18,4)',
        'timestamp without time zone', 'character varying', 'integer'."""
        relation = self.require(name)  # exists, and in one schema only
        frame = self._execute(
            "select attname, format_type(atttypid, atttypmod) from pg_attribute "
            "where attrelid = cast(%s as regclass) and attnum > 0 and not attisdropped "
            "order by attnum",
            (relation,),
        )
        if not len(frame):
            return {}
        return dict(zip(frame["attname"], frame["format_type"], strict=False))


class PostgresEngine(Engine):
    name = "postgres"

    def database(self, location: Path) -> str:
        marker = location / DATABASE_FILE
        if marker.exists():
            return marker.read_text().strip()
        return database_name(location)

    def _create_database(self, location: Path) -> str:
        """A new, empty database for a new location; the databases of
        locations that no longer exist (earlier test runs) are dropped."""
        name = database_name(location)
        connection = connect()
        connection.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "select datname, shobj_description(oid, 'pg_database') "
                    "from pg_database where datname like %s",
                    (DATABASE_PREFIX + "%",),
                )
                for other, comment in cursor.fetchall():
                    if other == name or not (comment and Path(comment).exists()):
                        cursor.execute(f'drop database if exists "{other}" with (force)')
                cursor.execute(f'create database "{name}"')
                cursor.execute(f'comment on database "{name}" is %s', (str(location),))
        finally:
            connection.close()
        return name

    def prepare(self, location: Path, landing_dir: Path) -> dict[str, str]:
        location.mkdir(parents=True, exist_ok=True)
        marker = location / DATABASE_FILE
        if not marker.exists():
            marker.write_text(self._create_database(location) + "\n")
        database = self.database(location)
        env = {"DBT_POSTGRES_DATABASE": database}
        completed = subprocess.run(
            [sys.executable, str(LOADER), "--landing-dir", str(landing_dir)],
            cwd=PROJECT_ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=LOADER_TIMEOUT_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            raise LoaderError(
                f"load_landing_postgres.py --landing-dir {landing_dir} exited "
                f"{completed.returncode}:\n{completed.stdout[-4000:]}"
            )
        return env

    def warehouse(self, location: Path) -> PostgresWarehouse:
        return PostgresWarehouse(self.database(location))


ENGINE = PostgresEngine()
