{#- on-run-start: a landing_dir holding none of the vendor folders (a typo,
    or one level too high) is an error, not a silently empty build. Only
    where dbt reads the folder itself and can list it: DuckDB. PostgreSQL
    builds from what its loader copied; Spark's cluster reads the path. -#}
{% macro check_landing_dir() -%}
    {{ return(adapter.dispatch('check_landing_dir', 'call_tracking')()) }}
{%- endmacro %}

{% macro default__check_landing_dir() -%}
{%- endmacro %}

{% macro duckdb__check_landing_dir() -%}
    {%- if execute -%}
        {%- set folder = (var('landing_dir') | string).rstrip('/') or '/' -%}
        {#- glob: a folder's own [, * and ? are literal as [[], [*], [?];
            a pattern ending in / lists folders. -#}
        {%- set pattern = folder | replace('[', '[[]') | replace('*', '[*]')
            | replace('?', '[?]') ~ '/*/' -%}
        {%- set found = run_query(
            'select count(*) from glob(' ~ sql_string(pattern) ~ ')'
            ~ " where parse_filename(file) in"
            ~ " ('responsetap', 'infinity', 'views')"
        ).columns[0].values()[0] -%}
        {%- if found == 0 -%}
            {{ exceptions.raise_compiler_error(
                'landing_dir ' ~ tojson(folder) ~ ' is not a folder or holds'
                ~ ' none of responsetap/, infinity/, views/. Point it at the'
                ~ ' folder that holds them, e.g. dbt build --vars'
                ~ " '{landing_dir: /path/to/landing}'."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
