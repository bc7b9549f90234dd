"""The local PostgreSQL server is safe on a shared machine (issue 16): no
connection without the password, which only its owner can read, and names
are checked before they reach SQL. Runs with the PostgreSQL suite
(CALL_TRACKING_ENGINE=postgres) against scripts/postgres_server.sh's server."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import ENGINE, PROJECT_ROOT

SERVER = PROJECT_ROOT / "scripts" / "postgres_server.sh"
PSQL = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin")) / "psql"

pytestmark = pytest.mark.skipif(
    ENGINE.name != "postgres"
    or os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1") != "127.0.0.1",
    reason="the local server of scripts/postgres_server.sh, on the PostgreSQL suite",
)


def run(command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )


def psql(sql: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run(
        [
            str(PSQL), "-h", "127.0.0.1",
            "-p", os.environ.get("DBT_POSTGRES_PORT", "5433"),
            "-U", os.environ.get("DBT_POSTGRES_USER", "call_tracking"),
            "-d", os.environ.get("DBT_POSTGRES_DATABASE", "call_tracking"),
            "-w", "-Atc", sql,
        ],
        **env,
    )


def passfile() -> Path:
    return Path(run([str(SERVER), "passfile"]).stdout.strip())


def test_password_file_is_owner_only() -> None:
    mode = stat.S_IMODE(passfile().stat().st_mode)
    assert mode == 0o600, oct(mode)


def test_no_connection_without_the_password() -> None:
    assert psql("select 1", PGPASSFILE=str(passfile())).returncode == 0
    refused = psql("select 1", PGPASSFILE="/dev/null", PGPASSWORD="")
    assert refused.returncode != 0
    assert "password" in refused.stdout


@pytest.mark.parametrize(
    "name", ["x'; create table pwned (a int); --", 'a"b', "Upper", ""]
)
def test_names_are_checked_before_sql(name: str) -> None:
    created = run([str(SERVER), "new-database", name])
    assert created.returncode != 0, created.stdout
    as_role = run([str(SERVER), "status"], DBT_POSTGRES_USER=name or "-")
    assert as_role.returncode != 0 and "not a plain name" in as_role.stdout
