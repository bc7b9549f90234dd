{#- Spark: every landing file listed (binaryFile, its content not read),
    with the line count base_landing__lines read from it. A file with bytes
    but no lines is one the text source could not read whole (a broken or
    truncated gzip stream, bytes after it, a plain file named .gz): it is
    not used and is read once it changes. -#}
{% macro spark__read_landing_manifest() -%}
    {%- set listing = spark_landing_view(
        'call_tracking_landing_listing', 'binaryFile'
    ) %}

with

listed_files as (

    select
        {{ spark_landing_relative_path('path') }} as source_file,
        length as size_bytes,
        modificationTime as modified_at
    from {{ listing }}

),

read_files as (

    select
        source_file,
        count(*) as line_count,
        max(loaded_at) as loaded_at
    from {{ ref('base_landing__lines') }}
    group by source_file

),

final as (

    select
        listed_files.source_file,
        split(listed_files.source_file, '/')[0] as landing_folder,
        cast(null as binary) as file_path,
        listed_files.size_bytes,
        listed_files.modified_at,
        cast(read_files.line_count as bigint) as line_count,
        case
            when read_files.source_file is null and listed_files.size_bytes > 0
                then 'cannot be read whole (a broken or truncated gzip stream?)'
        end as read_error,
        coalesce(read_files.loaded_at, {{ run_started_at_timestamp() }})
            as checked_at
    from listed_files
    left join read_files
        on listed_files.source_file = read_files.source_file
    where
        split(listed_files.source_file, '/')[0]
        in ('responsetap', 'infinity', 'views')

)

select * from final
{%- endmacro %}
