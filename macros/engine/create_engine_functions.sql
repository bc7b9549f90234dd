{#- SQL run once at the start of every dbt invocation (on-run-start in
    dbt_project.yml): helper functions an engine's macros call. Nothing on
    engines that need none. -#}
{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'call_tracking')()) }}
{%- endmacro %}

{% macro default__create_engine_functions() -%}
{%- endmacro %}
