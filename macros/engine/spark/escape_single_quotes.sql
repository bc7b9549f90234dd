{#- Literals are read with spark.sql.parser.escapedStringLiterals (backslashes
    are plain characters, as on DuckDB), where `\'` keeps its backslash: a
    quote is spliced in with chr(39) instead. Used by dbt for unit test
    fixture values, always inside an expression. -#}
{% macro spark__escape_single_quotes(expression) -%}
    {{ expression | replace("'", "' || chr(39) || '") }}
{%- endmacro %}
