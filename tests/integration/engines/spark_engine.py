"""Apache Spark, through one of two dbt targets (CALL_TRACKING_SPARK_TARGET):

- `spark_thrift` (the default): a Spark cluster's Thrift server, as users
  run it at scale. `make test-spark` starts a local one once
  (scripts/spark_cluster.sh); every build shares its one metastore, so each
  build location gets schemas of its own (the dbt var schema_prefix).
- `spark`: pyspark inside dbt (`method: session`); each build keeps its
  tables (parquet, under warehouse/) and its Hive metastore (Derby) in a
  folder of its own, named by the environment variable DBT_SPARK_DIR.

The built tables are read back with DuckDB straight from their parquet
files, so no second Spark (and no second Derby, which allows one process at
a time) is started: managed tables live at <warehouse>/<schema>.db/<table>/.
Column types are Spark's own: the schema Spark writes into every parquet
file's footer (org.apache.spark.sql.parquet.row.metadata).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from engines import Engine, Warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[3]
TARGET_VARIABLE = "CALL_TRACKING_SPARK_TARGET"
TARGETS = ("spark_thrift", "spark")
SPARK_SCHEMA_KEY = b"org.apache.spark.sql.parquet.row.metadata"
# Spark's JSON type names -> its SQL names (as `describe table` shows them).
SQL_TYPE_NAMES = {"integer": "int", "long": "bigint", "short": "smallint", "byte": "tinyint"}
# The file in a build location that holds its schema prefix on the cluster.
PREFIX_FILE = "spark_schema_prefix"


class SparkWarehouse(Warehouse):
    """The tables under `warehouse_dir` whose schema starts with `prefix`."""

    def __init__(self, warehouse_dir: Path, prefix: str = "") -> None:
        self.warehouse_dir = warehouse_dir
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"SparkWarehouse({self.warehouse_dir}, prefix={self.prefix!r})"

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
            for path in self.warehouse_dir.glob(f"{self.prefix}*.db/{name}")
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


def selected_target() -> str:
    target = os.environ.get(TARGET_VARIABLE, "spark_thrift")
    if target not in TARGETS:
        raise ValueError(f"{TARGET_VARIABLE}={target!r}: expected one of {', '.join(TARGETS)}")
    return target


class SparkEngine(Engine):
    name = "spark"
    # int_call_events_deduplicated and int_call_events_matched are tables on
    # Spark (see macros/engine/spark/keyed_incremental_materialization.sql).
    rebuilds_keyed_models_whole = True

    def __init__(self, target: str | None = None) -> None:
        self._target = target or selected_target()

    @property
    def target(self) -> str:
        return self._target

    @property
    def is_thrift(self) -> bool:
        return self._target == "spark_thrift"

    def spark_dir(self, location: Path) -> Path:
        return location / "spark"

    def schema_prefix(self, location: Path) -> str:
        """Schemas of their own for each location on the shared cluster: a
        random prefix, made on first use and kept in the location (folder
        names repeat across test runs; the cluster's metastore outlives them)."""
        marker = location / PREFIX_FILE
        if not marker.exists():
            location.mkdir(parents=True, exist_ok=True)
            marker.write_text(f"t{secrets.token_hex(6)}_\n")
        return marker.read_text().strip()

    def cluster_warehouse_dir(self) -> Path:
        """The Thrift server's spark.sql.warehouse.dir (scripts/spark_cluster.sh)."""
        cluster_dir = os.environ.get("SPARK_CLUSTER_DIR", str(PROJECT_ROOT / ".spark-cluster"))
        return Path(cluster_dir) / "warehouse"

    def _check_thrift_server(self) -> None:
        host = os.environ.get("DBT_SPARK_HOST", "127.0.0.1")
        port = int(os.environ.get("DBT_SPARK_PORT", "10000"))
        try:
            socket.create_connection((host, port), timeout=5).close()
        except OSError as error:
            raise RuntimeError(
                f"no Spark Thrift server answers at {host}:{port} ({error}): start the "
                "local cluster first (`make spark-cluster-start`; `make test-spark` "
                f"does it), or set {TARGET_VARIABLE}=spark for pyspark in the process"
            ) from None

    def prepare(self, location: Path, landing_dir: Path) -> dict[str, str]:
        location.mkdir(parents=True, exist_ok=True)
        if self.is_thrift:
            self._check_thrift_server()
            return {}
        return {"DBT_SPARK_DIR": str(self.spark_dir(location))}

    def variables(self, location: Path) -> dict[str, str]:
        return {"schema_prefix": self.schema_prefix(location)} if self.is_thrift else {}

    def warehouse(self, location: Path) -> SparkWarehouse:
        if self.is_thrift:
            return SparkWarehouse(self.cluster_warehouse_dir(), self.schema_prefix(location))
        return SparkWarehouse(self.spark_dir(location) / "warehouse")

    def skip_reason(self) -> str | None:
        if not self.is_thrift and shutil.which("java") is None:
            return "Spark needs Java (17) on the PATH"
        return None


ENGINE = SparkEngine()
