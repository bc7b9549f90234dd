{#- PostgreSQL versions of the number macros in macros/ (numeric_text_to_double,
    to_decimal_18_4), on functions that return null where a cast would
    raise (see create_engine_functions). -#}

{% macro postgres__numeric_text_to_double(text) -%}
    {{ engine_function('call_tracking_numeric_text_to_double') }}({{ text }})
{%- endmacro %}

{#- A plain numeric holding the rounded value without trailing zeros: the
    marts cast it to decimal(18,4). dbt's unit tests cast expected values
    to a numeric without scale and compare them as text (dbt-core #9884),
    so 9.9900 would not equal an expected 9.99. -#}
{% macro postgres__to_decimal_18_4(text) -%}
    {{ engine_function('call_tracking_text_to_decimal_18_4') }}({{ text }})
{%- endmacro %}

{% macro postgres__regexp_full_match(text, pattern) -%}
    ({{ text }} ~ '^(?:{{ pattern }})$')
{%- endmacro %}
