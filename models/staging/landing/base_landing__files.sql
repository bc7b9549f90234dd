{#-
    The file manifest of base_landing__files.py, on engines without
    DuckDB's Python models. Where it comes from is the engine's (macro
    read_landing_manifest): PostgreSQL's loader keeps it; Spark derives it
    from the lines it read.
-#}
{{ config(
    enabled=target.type != 'duckdb',
    materialized='view',
) }}

{{ read_landing_manifest() }}
