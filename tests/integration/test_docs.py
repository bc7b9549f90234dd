"""The docs site: `dbt docs generate` builds, and nothing is undocumented.

Every model, seed, source, column (as the warehouse has it, from the
catalog) and macro of the project must have a description, and the
descriptions must be persisted as comments in DuckDB.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import DBT, PROJECT_ROOT, BuiltCase

pytestmark = [pytest.mark.slow, pytest.mark.duckdb_only]


@pytest.fixture(scope="module")
def docs(sample_case: BuiltCase, tmp_path_factory: pytest.TempPathFactory) -> dict:
    target = tmp_path_factory.mktemp("docs_target")
    completed = subprocess.run(
        [
            str(DBT), "docs", "generate",
            "--vars", json.dumps({"landing_dir": str(sample_case.landing_dir)}),
        ],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DBT_DUCKDB_PATH": str(sample_case.warehouse.db_path),
            "DBT_PROFILES_DIR": str(PROJECT_ROOT),
            "DBT_TARGET_PATH": str(target),
            "DBT_LOG_PATH": str(target / "logs"),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert (target / "index.html").exists()
    return {
        "manifest": json.loads((target / "manifest.json").read_text()),
        "catalog": json.loads((target / "catalog.json").read_text()),
    }


def project_nodes(manifest: dict, *kinds: str) -> dict[str, dict]:
    return {
        unique_id: node
        for section in ("nodes", "sources")
        for unique_id, node in manifest[section].items()
        if node["resource_type"] in kinds and node["package_name"] == "call_tracking"
    }


def test_every_model_seed_and_source_is_described(docs: dict) -> None:
    nodes = project_nodes(docs["manifest"], "model", "seed", "source")
    assert nodes
    undocumented = sorted(uid for uid, node in nodes.items() if not node["description"].strip())
    assert undocumented == []


def test_every_column_in_the_warehouse_is_described(docs: dict) -> None:
    nodes = project_nodes(docs["manifest"], "model", "seed")
    catalog = docs["catalog"]["nodes"]
    missing = []
    for unique_id, node in nodes.items():
        if unique_id not in catalog:
            continue  # the Python model's columns are documented below too
        described = {
            name.lower()
            for name, column in node["columns"].items()
            if column["description"].strip()
        }
        for column in catalog[unique_id]["columns"]:
            if column.lower() not in described:
                missing.append(f"{node['name']}.{column}")
    assert missing == []


def test_every_project_macro_is_described(docs: dict) -> None:
    macros = [
        macro
        for macro in docs["manifest"]["macros"].values()
        if macro["package_name"] == "call_tracking"
    ]
    assert macros
    undocumented = sorted(m["name"] for m in macros if not m["description"].strip())
    assert undocumented == []


def test_descriptions_are_persisted_as_comments(sample_case: BuiltCase) -> None:
    with duckdb.connect(str(sample_case.warehouse.db_path), read_only=True) as con:
        table_comment = con.execute(
            "select comment from duckdb_tables() "
            "where table_name = 'ec_basket_transaction_summary'"
        ).fetchone()
        uncommented = con.execute(
            "select column_name from duckdb_columns() "
            "where table_name = 'ec_basket_transaction_summary' "
            "and coalesce(comment, '') = ''"
        ).fetchall()
    assert table_comment is not None and table_comment[0]
    assert uncommented == []


def test_docs_site_is_self_contained(docs: dict) -> None:
    """The rules' doc blocks reach the site (a model's description uses them)."""
    matched = next(
        node for node in docs["manifest"]["nodes"].values()
        if node["name"] == "int_call_events_matched"
    )
    assert "Rule 5" in matched["description"]
    assert Path(PROJECT_ROOT / "models" / "docs" / "contract_rules.md").exists()
