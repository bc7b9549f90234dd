{#- PostgreSQL: the manifest scripts/load_landing_postgres.py keeps, with
    the files it could not read and why. -#}
{% macro postgres__read_landing_manifest() -%}
select
    source_file,
    landing_folder,
    cast(null as bytea) as file_path,
    size_bytes,
    modified_at,
    cast(line_count as bigint) as line_count,
    read_error,
    checked_at
from {{ source('landing_raw', 'landing_files') }}
{%- endmacro %}
