"""Fail fast, with advice, when the warehouse file cannot be written.

DuckDB lets one process write a database file at a time. Run before
`dbt build` (as `make run` does) so a file held open by a notebook or SQL
client gives a message that says what to do, not a stack of dbt errors.

Usage: python scripts/check_warehouse.py   (exit 0 when the file is free)
"""

from __future__ import annotations

from warehouse import connect, database_path


def main() -> None:
    path = database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    connect(path, read_only=False).close()
    print(f"warehouse: {path}")


if __name__ == "__main__":
    main()
