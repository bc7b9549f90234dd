{#- Spark on parquet tables has no delete+insert and no merge, and its
    append ignores unique_key (duplicates would pile up), so these models
    are rebuilt whole: `table`, always equal to a full refresh. -#}
{% macro spark__keyed_incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
