{#- Layers get their own schema (staging, intermediate, marts) without the
    target schema prefix, so analysts find marts.<table> on every target.
    The var schema_prefix (default none) is put before every schema: it
    keeps builds apart that share one metastore (the tests on one Spark
    cluster). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set prefix = var('schema_prefix', '') or '' -%}
    {%- if custom_schema_name is none -%}
        {{ prefix ~ target.schema }}
    {%- else -%}
        {{ prefix ~ (custom_schema_name | trim) }}
    {%- endif -%}
{%- endmacro %}
