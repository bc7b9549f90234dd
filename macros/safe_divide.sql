{#- numerator / denominator as a double; null when the denominator is 0. -#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double precision)
    / nullif(cast({{ denominator }} as double precision), 0)
{%- endmacro %}
