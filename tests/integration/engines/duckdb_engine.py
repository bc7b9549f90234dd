"""DuckDB, the default engine: each build writes its own database file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from engines import Engine, Warehouse


class DuckDBWarehouse(Warehouse):
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def __repr__(self) -> str:
        return f"DuckDBWarehouse({self.db_path})"

    def _execute(self, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            cursor = con.execute(sql, params or [])
            names = [column[0] for column in cursor.description]
            # fetchall keeps Decimal, datetime and None as they are (.df()
            # would turn decimals into floats and nulls into NaN).
            return pd.DataFrame(cursor.fetchall(), columns=names, dtype=object)

    def _query(self, sql: str) -> pd.DataFrame:
        return self._execute(sql)

    def _schemas_with(self, name: str) -> list[str]:
        found = self._execute(
            "select table_schema from information_schema.tables "
            "where table_name = ? order by table_schema",
            [name],
        )
        return list(found["table_schema"])

    def column_types(self, name: str) -> dict[str, str]:
        self.require(name)  # exists, and in one schema only
        frame = self._execute(
            "select column_name, data_type from information_schema.columns "
            "where table_name = ? order by ordinal_position",
            [name],
        )
        return dict(zip(frame["column_name"], frame["data_type"], strict=False))


class DuckDBEngine(Engine):
    name = "duckdb"

    def db_path(self, location: Path) -> Path:
        return location / "warehouse.duckdb"

    def prepare(self, location: Path, landing_dir: Path) -> dict[str, str]:
        location.mkdir(parents=True, exist_ok=True)
        return {"DBT_DUCKDB_PATH": str(self.db_path(location))}

    def warehouse(self, location: Path) -> DuckDBWarehouse:
        return DuckDBWarehouse(self.db_path(location))


ENGINE = DuckDBEngine()
