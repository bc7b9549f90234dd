{#-
    The file manifest of base_landing__files.py, on engines without
    DuckDB's Python models. Where it comes from is the engine's (macro
    read_landing_manifest): PostgreSQL's loader keeps it; Spark derives it
    from the lines it read.
-#}
{#- A table: on Spark it is read from a temporary view of this build. -#}
{{ config(
    enabled=target.type != 'duckdb',
    materialized='table',
) }}

{{ read_landing_manifest() }}
