{#- Parquet tables have no delete; insert overwrite is one statement. -#}
{% macro spark__overwrite_table_sql(relation, select_sql) -%}
    insert overwrite table {{ relation }} {{ select_sql }}
{%- endmacro %}
