{#- Every line of the landing files not read yet, as base_landing__lines'
    columns. DuckDB reads them in base_landing__lines.py instead; each other
    engine brings its own version (macros/engine/<engine>/). -#}
{% macro read_landing_lines() -%}
    {{ return(adapter.dispatch('read_landing_lines')()) }}
{%- endmacro %}

{% macro default__read_landing_lines() -%}
    {#- Parsing renders this model on every engine, even where disabled. -#}
    {%- if execute -%}
    {{ exceptions.raise_compiler_error(
        "base_landing__lines: no way to read the landing files on the '"
        ~ target.type ~ "' engine (see macros/engine/read_landing_lines.sql)"
    ) }}
    {%- endif -%}
{%- endmacro %}
