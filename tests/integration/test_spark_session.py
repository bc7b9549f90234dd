"""The in-process Spark target (`--target spark`: pyspark inside dbt,
`method: session`), kept for a quick local try, still builds: the sample
gives the same relations as the suite's own build of it on the cluster
(`spark_thrift`). One build, without the dbt unit tests (the cluster's
build of the sample runs them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ANALYST_RELATIONS, ENGINE, SAMPLE_LANDING, BuiltCase, run_dbt
from engines import Warehouse
from engines.spark_engine import SparkEngine

pytestmark = pytest.mark.skipif(
    ENGINE.name != "spark" or ENGINE.target != "spark_thrift",
    reason="compares with the sample built on a Spark cluster (spark_thrift)",
)


def sorted_table(warehouse: Warehouse, name: str) -> pd.DataFrame:
    frame = warehouse.table(name).drop(columns=ANALYST_RELATIONS[name])
    frame = frame[sorted(frame.columns)].astype(str)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_session_target_builds_the_sample_as_the_cluster_does(
    sample_case: BuiltCase,
    dbt_dirs: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if shutil.which("java") is None:
        pytest.fail("the in-process Spark target needs Java 17 on the PATH")
    session = SparkEngine(target="spark")
    run = run_dbt(SAMPLE_LANDING, tmp_path_factory.mktemp("session"), dbt_dirs, engine=session)
    run.check()
    assert sample_case.warehouse.count("ec_basket_transaction_summary") > 0
    for name in ANALYST_RELATIONS:
        expected = sorted_table(sample_case.warehouse, name)
        pd.testing.assert_frame_equal(
            sorted_table(run.warehouse(), name), expected, obj=f"{name}: session vs thrift"
        )
