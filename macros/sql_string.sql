{#- A value as a quoted SQL string literal: the one way configuration
    reaches SQL. escape_single_quotes is dispatched (Spark has its own). -#}
{% macro sql_string(value) -%}
    '{{ escape_single_quotes(value | string) }}'
{%- endmacro %}
