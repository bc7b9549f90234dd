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
    {%- set landing_dir = var('landing_dir') | string -%}
    {#- Files are matched to the folder by the path Spark reports (a
        file: URI of the absolute path): the relative path is what follows
        '/<landing_dir>/', for an absolute or a relative landing_dir. -#}
    {%- set folder = landing_dir.rstrip('/') -%}
    {%- if folder.startswith('./') -%}
        {%- set folder = folder[2:] -%}
    {%- endif -%}
    {%- set marker = '/' ~ folder.lstrip('/') ~ '/' -%}
    {#- OPTIONS take only literals, and backslashes do not escape in them
        (escapedStringLiterals): a path holding ' is written in "...". -#}
    {%- if "'" in landing_dir and '"' in landing_dir -%}
        {{ exceptions.raise_compiler_error(
            "landing_dir " ~ landing_dir ~ ": on Spark a path cannot hold both"
            ~ " ' and \"; rename or link the folder"
        ) }}
    {%- endif -%}
    {#- On a cluster (Thrift) the server and its executors read the files,
        from their own working folders: a relative path means nothing there. -#}
    {%- if target.method != 'session' and not landing_dir.startswith('/')
        and ':/' not in landing_dir -%}
        {{ exceptions.raise_compiler_error(
            "landing_dir " ~ landing_dir ~ ": on a Spark cluster give an absolute"
            ~ " path or a URI (hdfs://, s3a://) that its executors can read"
        ) }}
    {%- endif -%}
    {%- set path_quote = '"' if "'" in landing_dir else "'" -%}
    {%- set files_view = 'call_tracking_landing_files' -%}
    {%- if execute -%}
        {%- do run_query(
            "create or replace temporary view " ~ files_view
            ~ " using text options (path " ~ path_quote ~ landing_dir ~ path_quote
            ~ ", wholetext 'true', recursiveFileLookup 'true',"
            ~ " pathGlobFilter '*.{ndjson,ndjson.gz}')"
        ) -%}
    {%- endif %}

with

landing_files as (

    select
        -- input_file_name() is a URI: %-escaped ('+' is kept as it is).
        url_decode(replace(input_file_name(), '+', '%2B')) as file_path,
        value as file_text
    from {{ files_view }}

),

relative_files as (

    select
        substr(
            file_path,
            instr(file_path, '{{ escape_single_quotes(marker) }}') + {{ marker | length }}
        ) as source_file,
        file_text
    from landing_files
    where instr(file_path, '{{ escape_single_quotes(marker) }}') > 0

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
    current_timestamp() as loaded_at
from file_lines
lateral view posexplode(lines) exploded as line_index, line
{%- endmacro %}
