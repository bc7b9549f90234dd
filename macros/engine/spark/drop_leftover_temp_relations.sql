{#- Spark: dbt-spark's intermediate relations are temporary views, gone
    with the session. -#}
{% macro spark__drop_leftover_temp_relations() -%}
    {{ return('') }}
{%- endmacro %}
