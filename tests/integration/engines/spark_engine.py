"""Apache Spark (pyspark, local mode, dbt-spark `method: session`).

Each build keeps its tables (parquet, under warehouse/) and its Hive
metastore (Derby, metastore_db/) in a folder of its own, named by the
environment variable DBT_SPARK_DIR (profiles.yml, target `spark`).

The built tables are read back with DuckDB straight from their parquet
files, so no second Spark (and no second Derby, which allows one process at
a time) is started: managed tables live at warehouse/<schema>.db/<table>/.
Column types are Spark's own: the schema Spark writes into every parquet
file's footer (org.apache.spark.sql.parquet.row.metadata).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from engines import Engine, Warehouse

SPARK_SCHEMA_KEY = b"org.apache.spark.sql.parquet.row.metadata"
# Spark's JSON type names -> its SQL names (as `describe table` shows them).
SQL_TYPE_NAMES = {"integer": "int", "long": "bigint", "short": "smallint", "byte": "tinyint"}


class SparkWarehouse(Warehouse):
    def __init__(self, warehouse_dir: Path) -> None:
        self.warehouse_dir = warehouse_dir

    def __repr__(self) -> str:
        return f"SparkWarehouse({self.warehouse_dir})"

    def _files(self, table_dir: Path) -> list[Path]:
        return sorted(table_dir.glob("*.parquet"))

    def _table_dir(self, name: str) -> Path:
        schemas = self._schemas_with(name)
        if len(schemas) != 1:
            self.require(name)  # raises the base class's error
        return self.warehouse_dir / f"{schemas[0]}.db" / name

    def relation(self, name: str) -> str | None:
        schemas = self._schemas_with(name)
        if not schemas:
            return None
        super().relation(name)  # raises when in several schemas
        table_dir = self.warehouse_dir / f"{schemas[0]}.db" / name
        if not self._files(table_dir):
            raise FileNotFoundError(f"no parquet files in {table_dir}")
        return f"read_parquet('{table_dir}/*.parquet')"

    def _query(self, sql: str) -> pd.DataFrame:
        with duckdb.connect() as con:
            con.execute("set TimeZone = 'UTC'")
            cursor = con.execute(sql)
            names = [column[0] for column in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=names, dtype=object)

    def _schemas_with(self, name: str) -> list[str]:
        return sorted(
            path.parent.name.removesuffix(".db")
            for path in self.warehouse_dir.glob(f"*.db/{name}")
            if path.is_dir()
        )

    def column_types(self, name: str) -> dict[str, str]:
        files = self._files(self._table_dir(name))
        metadata = pq.read_schema(files[0]).metadata or {}
        schema = json.loads(metadata[SPARK_SCHEMA_KEY])
        return {
            field["name"]: SQL_TYPE_NAMES.get(field["type"], field["type"])
            for field in schema["fields"]
        }


class SparkEngine(Engine):
    name = "spark"
    # int_call_events_deduplicated and int_call_events_matched are tables on
    # Spark (see macros/engine/spark/keyed_incremental_materialization.sql).
    rebuilds_keyed_models_whole = True

    def spark_dir(self, location: Path) -> Path:
        return location / "spark"

    def prepare(self, location: Path, landing_dir: Path) -> dict[str, str]:
        location.mkdir(parents=True, exist_ok=True)
        return {"DBT_SPARK_DIR": str(self.spark_dir(location))}

    def warehouse(self, location: Path) -> SparkWarehouse:
        return SparkWarehouse(self.spark_dir(location) / "warehouse")

    def skip_reason(self) -> str | None:
        if shutil.which("java") is None:
            return "Spark needs Java (17) on the PATH"
        return None


ENGINE = SparkEngine()
