{#-
    The same table as base_landing__lines.py, on engines without DuckDB's
    Python models: every line of every landing file, read once. How the
    lines are reached is the engine's (macro read_landing_lines): Spark
    reads the files itself; PostgreSQL reads the raw table that
    scripts/load_landing_postgres.py fills with COPY.
-#}
{{ config(
    enabled=target.type != 'duckdb',
    materialized='incremental',
    incremental_strategy='append',
) }}

{{ read_landing_lines() }}
