{#- Spark reads the landing files in the lines model itself: the manifest
    is the files it read, one row each. (A file Spark cannot read fails the
    build there; see README, engines.) -#}
{% macro spark__read_landing_manifest() -%}
select
    source_file,
    landing_folder,
    cast(null as binary) as file_path,
    cast(null as bigint) as size_bytes,
    cast(null as timestamp) as modified_at,
    cast(count(*) as bigint) as line_count,
    cast(null as string) as read_error,
    max(loaded_at) as checked_at
from {{ ref('base_landing__lines') }}
group by source_file, landing_folder
{%- endmacro %}
