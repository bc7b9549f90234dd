{#- Numeric text (e.g. '9.99', '1e3') to decimal(18,4), rounded to 4
    places; null when it is not a number that fits. -#}
{% macro to_decimal_18_4(text) -%}
    {{ return(adapter.dispatch('to_decimal_18_4')(text)) }}
{%- endmacro %}

{% macro default__to_decimal_18_4(text) -%}
    case
        when {{ numeric_text_to_double(text) }} is not null
            then coalesce(
                try_cast(trim({{ text }}) as decimal(18, 4)),
                try_cast({{ numeric_text_to_double(text) }} as decimal(18, 4))
            )
    end
{%- endmacro %}
