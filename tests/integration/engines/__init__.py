"""The engines the integration suite runs on, one module each.

The suite runs on one engine per pytest run, chosen by the environment
variable CALL_TRACKING_ENGINE (default `duckdb`; also `postgres`, `spark`),
which is also the dbt target. An engine knows how to give each build its own
empty warehouse (so builds never share state), what to do before dbt runs
(PostgreSQL loads the landing files), and how to read a built warehouse back.
"""

from __future__ import annotations

import importlib
import os
from abc import ABC, abstractmethod
from pathlib import Path

import pandas as pd

ENGINE_VARIABLE = "CALL_TRACKING_ENGINE"
ENGINES = ("duckdb", "postgres", "spark")


class WarehouseError(LookupError):
    """A relation is missing, or found in several schemas."""


class Warehouse(ABC):
    """Read-only access to a built warehouse, by relation name in any schema
    (contract section 3), never by the project's internal schema names."""

    @abstractmethod
    def _query(self, sql: str) -> pd.DataFrame:
        """Rows as Python objects (Decimal, datetime, None kept as they are)."""

    @abstractmethod
    def _schemas_with(self, name: str) -> list[str]:
        """The schemas holding a relation called `name`."""

    @abstractmethod
    def column_types(self, name: str) -> dict[str, str]:
        """Column name to the engine's own type name, in column order."""

    def _quote(self, identifier: str) -> str:
        return f'"{identifier}"'

    def relation(self, name: str) -> str | None:
        """The quoted schema.name of the relation with that name, if any."""
        schemas = self._schemas_with(name)
        if not schemas:
            return None
        if len(schemas) > 1:
            raise WarehouseError(f"relation {name} exists in several schemas: {schemas}")
        return f"{self._quote(schemas[0])}.{self._quote(name)}"

    def require(self, name: str) -> str:
        relation = self.relation(name)
        if relation is None:
            raise WarehouseError(f"relation {name} not found in {self}")
        return relation

    def table(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        selected = ", ".join(self._quote(c) for c in columns) if columns else "*"
        return self._query(f"select {selected} from {self.require(name)}")

    def count(self, name: str) -> int:
        return int(self._query(f"select count(*) from {self.require(name)}").iloc[0, 0])


class Engine(ABC):
    """One dbt target, and how the tests build into and read from it."""

    name: str

    @property
    def target(self) -> str:
        """The dbt target (profiles.yml) of this engine."""
        return self.name

    @abstractmethod
    def prepare(self, location: Path, landing_dir: Path) -> dict[str, str]:
        """Get the warehouse kept at `location` (a folder of the test's; a new
        folder means a new, empty warehouse) ready for a build over
        `landing_dir`; return the environment variables that point dbt at it."""

    def variables(self, location: Path) -> dict[str, str]:
        """dbt vars a build at `location` needs besides landing_dir."""
        return {}

    @abstractmethod
    def warehouse(self, location: Path) -> Warehouse:
        """The warehouse a build at `location` wrote."""

    def skip_reason(self) -> str | None:
        """Why this engine cannot run here (None when it can)."""
        return None


def selected_engine_name() -> str:
    name = os.environ.get(ENGINE_VARIABLE, "duckdb")
    if name not in ENGINES:
        raise ValueError(f"{ENGINE_VARIABLE}={name!r}: expected one of {', '.join(ENGINES)}")
    return name


def load_engine(name: str) -> Engine:
    module = importlib.import_module(f"engines.{name}_engine")
    engine: Engine = module.ENGINE
    return engine


