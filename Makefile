# The two entry points (see README): `make run` and `make test`.
# Each sets up its own virtualenv first, so both work on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE_LANDING := data/sample_landing
ifeq ($(origin LANDING_DIR),undefined)
LANDING_DIR := $(SAMPLE_LANDING)
endif
# The bundled sample is built into a warehouse of its own, never into the
# one real data goes to (DBT_DUCKDB_PATH, default target/call_tracking.duckdb).
ifeq ($(LANDING_DIR),$(SAMPLE_LANDING))
export DBT_DUCKDB_PATH ?= target/sample_warehouse.duckdb
endif
# A value as one shell word: '...', each ' inside written '\''.
shell_quote = '$(subst ','\'',$(1))'
# LANDING_DIR as given ($(value): a $ in it is not expanded by make), quoted
# for the shell, and for YAML inside --vars (a ' inside doubled).
LANDING_DIR_ARG = $(call shell_quote,$(value LANDING_DIR))
DBT_VARS = $(call shell_quote,{landing_dir: '$(subst ','',$(value LANDING_DIR))'})

export DBT_PROFILES_DIR := $(CURDIR)
# The local PostgreSQL server's password file (scripts/postgres_server.sh):
# libpq clients (dbt, the loader, psql, the tests) read its passwords there.
ifndef PGPASSFILE
export PGPASSFILE := $(shell scripts/postgres_server.sh passfile 2>/dev/null)
endif

.PHONY: setup run test test-duckdb test-engines lint dbt-test pytest docs clean
.PHONY: postgres-start postgres-stop postgres-load run-postgres test-postgres

$(BIN)/dbt: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(BIN)/dbt

## The main job: build the warehouse from LANDING_DIR (models and data
## tests: the production selector), then summarise matches.
run: setup
	$(BIN)/python scripts/check_warehouse.py
	$(BIN)/dbt build --selector production --vars $(DBT_VARS)
	$(BIN)/python scripts/match_rate_summary.py

## Every test, on every engine: DuckDB (lint, dbt's own tests on the sample,
## pytest), PostgreSQL, Spark, then the three engines' marts compared.
test: test-duckdb test-postgres test-spark test-engines

## DuckDB only: lint (SQL and Python), then pytest, whose build of the
## sample runs dbt's own tests (data + unit; `make dbt-test` runs them alone).
test-duckdb: lint pytest

lint: setup
	$(BIN)/sqlfluff lint models tests
	$(BIN)/ruff check scripts tests models

dbt-test: setup
	DBT_DUCKDB_PATH=target/test_warehouse.duckdb \
		$(BIN)/dbt build --full-refresh --vars $(DBT_VARS)

pytest: setup
	$(BIN)/python -m pytest tests

docs: setup
	$(BIN)/dbt docs generate --vars $(DBT_VARS)

clean:
	rm -rf target logs

## PostgreSQL 15 (README "PostgreSQL"): a local, throwaway server on
## 127.0.0.1, port DBT_POSTGRES_PORT (default 5433), data in .postgres/.
postgres-start:
	scripts/postgres_server.sh start

postgres-stop:
	scripts/postgres_server.sh stop

## Copy the files of LANDING_DIR not loaded before into the database.
postgres-load: setup
	$(BIN)/python scripts/load_landing_postgres.py --landing-dir $(LANDING_DIR_ARG)

## Start the local server, load LANDING_DIR, build (as `make run` does).
run-postgres: postgres-start postgres-load
	$(BIN)/dbt build --target postgres

## The integration suite on PostgreSQL; its build of the sample (loaded into
## a database of its own) runs every dbt test, unit tests included.
test-postgres: setup postgres-start
	CALL_TRACKING_ENGINE=postgres $(BIN)/python -m pytest tests/integration

## Apache Spark. test-spark (part of `make test`, so of CI) runs the suite
## with pyspark inside dbt (target spark). test-spark-cluster runs it on a
## local standalone cluster behind a Thrift server (scripts/spark_cluster.sh;
## target spark_thrift), started once and left running: `make
## spark-cluster-stop` ends it. In both the sample is built with every dbt
## test inside pytest (sample_case). CI keeps the in-process target until the
## cluster run is measured to fit CI's time (docs/testing.md).
SPARK_CLIENTS := $(VENV)/.spark-clients

.PHONY: test-spark test-spark-cluster run-spark spark-setup spark-cluster-start spark-cluster-stop

# The Thrift clients (requirements-spark-cluster.txt), beside requirements.txt.
$(SPARK_CLIENTS): requirements-spark-cluster.txt requirements.txt | $(BIN)/dbt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-spark-cluster.txt
	touch $@

spark-setup: setup $(SPARK_CLIENTS)

spark-cluster-start: spark-setup
	scripts/spark_cluster.sh start

spark-cluster-stop:
	scripts/spark_cluster.sh stop

test-spark: setup
	CALL_TRACKING_ENGINE=spark CALL_TRACKING_SPARK_TARGET=spark \
		$(BIN)/python -m pytest tests/integration

test-spark-cluster: spark-cluster-start
	CALL_TRACKING_ENGINE=spark CALL_TRACKING_SPARK_TARGET=spark_thrift \
		$(BIN)/python -m pytest tests/integration

## One generated landing folder built on each engine; every analyst relation
## must be the same on all three (tests/integration/test_engines_agree.py).
test-engines: setup postgres-start
	CALL_TRACKING_COMPARE_ENGINES=duckdb,postgres,spark CALL_TRACKING_SPARK_TARGET=spark \
		$(BIN)/python -m pytest tests/integration/test_engines_agree.py

## Build the warehouse from LANDING_DIR on Spark (target/spark, or DBT_SPARK_DIR).
run-spark: setup
	$(BIN)/dbt build --target spark --vars $(DBT_VARS)
