{#- The materialization of the models that, on an incremental run, replace
    the rows of the keys they select again (incremental_strategy
    delete+insert with a unique_key). Engines without a correct keyed
    replace on their tables rebuild those models whole instead. -#}
{% macro keyed_incremental_materialization() -%}
    {{ return(adapter.dispatch('keyed_incremental_materialization')()) }}
{%- endmacro %}

{% macro default__keyed_incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}
