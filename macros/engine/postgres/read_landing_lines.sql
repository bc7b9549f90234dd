{#- PostgreSQL: the lines scripts/load_landing_postgres.py copied into the
    raw tables (source landing_raw), of the files this model has not read
    yet (all of them on a full refresh). As on DuckDB, loaded_at is when
    the build that read them started. -#}
{% macro postgres__read_landing_lines() -%}

with

files_to_read as (

    select source_file
    from {{ source('landing_raw', 'landing_files') }}
    where
        read_error is null
        {%- if is_incremental() %}
        and source_file not in (select distinct source_file from {{ this }})
        {%- endif %}

)

select
    lines.landing_folder,
    lines.source_file,
    lines.line_number,
    lines.line,
    lines.is_valid_utf8,
    {{ monotonic_run_timestamp('loaded_at') }} as loaded_at
from {{ source('landing_raw', 'landing_lines') }} as lines
inner join files_to_read
    on lines.source_file = files_to_read.source_file

{%- endmacro %}
