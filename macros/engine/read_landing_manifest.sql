{#- The landing file manifest, as base_landing__files' columns. DuckDB
    builds it in base_landing__files.py instead; each other engine brings
    its own version (macros/engine/<engine>/). -#}
{% macro read_landing_manifest() -%}
    {{ return(adapter.dispatch('read_landing_manifest', 'call_tracking')()) }}
{%- endmacro %}

{% macro default__read_landing_manifest() -%}
    {%- if execute -%}
    {{ exceptions.raise_compiler_error(
        "base_landing__files: no file manifest on the '" ~ target.type
        ~ "' engine (see macros/engine/read_landing_manifest.sql)"
    ) }}
    {%- endif -%}
{%- endmacro %}
