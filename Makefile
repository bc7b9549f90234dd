# The two entry points (see README): `make run` and `make test`.
# Each sets up its own virtualenv first, so both work on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LANDING_DIR ?= data/sample_landing
DBT_VARS := '{landing_dir: $(LANDING_DIR)}'

export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: setup run test lint dbt-test pytest docs clean

$(BIN)/dbt: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(BIN)/dbt

## The main job: build the warehouse from LANDING_DIR, then summarise matches.
run: setup
	$(BIN)/python scripts/check_warehouse.py
	$(BIN)/dbt build --vars $(DBT_VARS)
	$(BIN)/python scripts/match_rate_summary.py

## Every test: lint (SQL and Python), dbt's own tests (data + unit) on the
## sample, pytest.
test: lint dbt-test pytest

lint: setup
	$(BIN)/sqlfluff lint models tests
	$(BIN)/ruff check scripts tests

dbt-test: setup
	DBT_DUCKDB_PATH=target/test_warehouse.duckdb \
		$(BIN)/dbt build --full-refresh --vars $(DBT_VARS)

pytest: setup
	$(BIN)/python -m pytest tests

docs: setup
	$(BIN)/dbt docs generate --vars $(DBT_VARS)

clean:
	rm -rf target logs

## Apache Spark (pyspark in local mode; needs Java 17): the same build and
## tests on Spark. Tables and metastore under target/spark_test (a fresh
## warehouse each time); the integration suite builds its own.
SPARK_TEST_DIR := target/spark_test

.PHONY: test-spark run-spark

test-spark: setup
	rm -rf $(SPARK_TEST_DIR)
	DBT_SPARK_DIR=$(SPARK_TEST_DIR) \
		$(BIN)/dbt build --target spark --full-refresh --vars $(DBT_VARS)
	CALL_TRACKING_ENGINE=spark CALL_TRACKING_UNIT_TESTS_DONE=1 \
		$(BIN)/python -m pytest tests/integration

## Build the warehouse from LANDING_DIR on Spark (target/spark, or DBT_SPARK_DIR).
run-spark: setup
	$(BIN)/dbt build --target spark --vars $(DBT_VARS)
