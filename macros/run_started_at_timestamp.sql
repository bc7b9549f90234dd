{#- When this dbt invocation started, as a UTC timestamp literal: marks the
    rows an incremental model wrote in this run. -#}
{% macro run_started_at_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}
