{#- dbt's string type on PostgreSQL is `text`; the contract names varchar
    (section 3), so dbt.type_string() gives that here, as on DuckDB. The
    root project's postgres__type_string comes before dbt's own. -#}
{% macro postgres__type_string() -%}
    varchar
{%- endmacro %}
