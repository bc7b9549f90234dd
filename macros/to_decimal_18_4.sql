{#- Numeric text (e.g. '9.99', '1e3') to decimal(18,4), rounded to 4
    places; null when it is not a number that fits. -#}
{% macro to_decimal_18_4(text) -%}
    coalesce(
        try_cast({{ text }} as decimal(18, 4)),
        try_cast(try_cast({{ text }} as double) as decimal(18, 4))
    )
{%- endmacro %}
