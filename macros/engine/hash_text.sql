{#- A stable hex digest of a text value (for ids and keys). -#}
{% macro hash_text(expression) -%}
    {{ return(adapter.dispatch('hash_text', 'call_tracking')(expression)) }}
{%- endmacro %}

{% macro default__hash_text(expression) -%}
    md5({{ expression }})
{%- endmacro %}
