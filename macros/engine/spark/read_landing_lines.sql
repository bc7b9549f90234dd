{#-
    Spark: every line of the landing files not read yet, read by Spark
    itself (dbt-spark runs no Python models with method: session).

    A temporary view over the `text` data source reads each file whole
    (wholetext: one row per file, `*.gz` decompressed by Hadoop's codec),
    recursively, keeping only `*.ndjson` and `*.ndjson.gz`; the text is then
    split on \n (chr(10)) with posexplode for the line numbers, and a final
    \n ends the last line instead of starting an empty one.

    Invalid UTF-8: the text source keeps a file's bytes as they are, so
    is_valid_utf8() sees invalid bytes in the whole file; splitting
    replaces them with U+FFFD, so in such a file a line is flagged when it
    holds U+FFFD. (A line of a file with invalid bytes elsewhere that sent
    a real U+FFFD is flagged too; DuckDB would keep it.)

    A missing landing_dir fails with Spark's PATH_NOT_FOUND naming the
    folder; an empty one, or a missing vendor folder, gives no rows.
-#}
{% macro spark__read_landing_lines() -%}
    {#- A file the text source cannot read (a broken gzip) is skipped
        (ignoreCorruptFiles); the manifest lists it as unreadable. -#}
    {%- set files_view = spark_landing_view(
        'call_tracking_landing_files', 'text',
        "wholetext 'true', ignoreCorruptFiles 'true'"
    ) %}

with

landing_files as (

    select
        {{ spark_landing_relative_path('input_file_name()') }} as source_file,
        value as file_text
    from {{ files_view }}

),

relative_files as (

    select * from landing_files
    where source_file is not null

),

new_files as (

    select
        split(source_file, '/')[0] as landing_folder,
        source_file,
        is_valid_utf8(file_text) as is_valid_file,
        case
            when file_text = '' then cast(array() as array<string>)
            else split(file_text, chr(10), -1)
        end as split_lines
    from relative_files
    where
        split(source_file, '/')[0] in ('responsetap', 'infinity', 'views')
        {%- if is_incremental() %}
        and source_file not in (select distinct source_file from {{ this }})
        {%- endif %}

),

file_lines as (

    select
        landing_folder,
        source_file,
        is_valid_file,
        -- A final \n ends the last line: the empty string after it is no line.
        case
            when element_at(split_lines, -1) = ''
                then slice(split_lines, 1, size(split_lines) - 1)
            else split_lines
        end as lines
    from new_files

)

select
    landing_folder,
    source_file,
    cast(line_index + 1 as int) as line_number,
    line,
    -- U+FFFD, the replacement character (Spark's chr() stops at 255).
    is_valid_file or instr(line, decode(unhex('EFBFBD'), 'UTF-8')) = 0
        as is_valid_utf8,
    {{ monotonic_run_timestamp('loaded_at') }} as loaded_at
from file_lines
lateral view posexplode(lines) exploded as line_index, line
{%- endmacro %}
