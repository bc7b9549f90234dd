{#- Spark reads the landing folder through temporary views over its file
    sources. Spark takes a source's path as a Hadoop glob and has no escape
    for it, so each glob character of landing_dir ([ ] { } * ? \) is given
    as `?`, which matches that one character; the files of any other folder
    the pattern also matches are dropped by spark_landing_relative_path,
    which keeps only paths under landing_dir itself. Returns the view's
    name. -#}
{% macro spark_landing_view(view_name, file_format, options='') -%}
    {%- set landing_dir = var('landing_dir') | string -%}
    {#- OPTIONS take only literals, and backslashes do not escape in them
        (escapedStringLiterals): a path holding ' is written in "...". -#}
    {%- if "'" in landing_dir and '"' in landing_dir -%}
        {{ exceptions.raise_compiler_error(
            "landing_dir " ~ landing_dir ~ ": on Spark a path cannot hold both"
            ~ " ' and \"; rename or link the folder"
        ) }}
    {%- endif -%}
    {#- On a cluster (Thrift) the server and its executors read the files,
        from their own working folders: a relative path means nothing there.
        (Checked when running: at parse time check_vars has not yet named
        a bad landing_dir.) -#}
    {%- if execute and target.get('method') != 'session'
        and not landing_dir.startswith('/') and ':/' not in landing_dir -%}
        {{ exceptions.raise_compiler_error(
            "landing_dir " ~ landing_dir ~ ": on a Spark cluster give an absolute"
            ~ " path or a URI (hdfs://, s3a://) that its executors can read"
        ) }}
    {%- endif -%}
    {%- set quote = '"' if "'" in landing_dir else "'" -%}
    {%- set pattern = modules.re.sub('[][{}*?\\\\]', '?', landing_dir) -%}
    {%- if execute -%}
        {%- do run_query(
            "create or replace temporary view " ~ view_name
            ~ " using " ~ file_format ~ " options (path " ~ quote ~ pattern ~ quote
            ~ ", recursiveFileLookup 'true', pathGlobFilter '*.{ndjson,ndjson.gz}'"
            ~ (", " ~ options if options else "") ~ ")"
        ) -%}
    {%- endif -%}
    {{ return(view_name) }}
{%- endmacro %}

{#- The path relative to landing_dir of a file URI that Spark reports
    (input_file_name(), binaryFile's path), or null for a file outside it:
    the part after '/<landing_dir>/', for an absolute or relative folder. -#}
{% macro spark_landing_relative_path(file_uri) -%}
    {%- set folder = (var('landing_dir') | string).rstrip('/') -%}
    {%- if folder.startswith('./') -%}
        {%- set folder = folder[2:] -%}
    {%- endif -%}
    {%- set marker = escape_single_quotes('/' ~ folder.lstrip('/') ~ '/') -%}
    {#- A URI is %-escaped ('+' is kept as it is). -#}
    {%- set path = "url_decode(replace(" ~ file_uri ~ ", '+', '%2B'))" -%}
    case
        when instr({{ path }}, '{{ marker }}') > 0
            then substr(
                {{ path }},
                instr({{ path }}, '{{ marker }}') + length('{{ marker }}')
            )
    end
{%- endmacro %}
