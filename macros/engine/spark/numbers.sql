{#- Spark has no regexp_full_match: rlike with the pattern anchored. -#}
{% macro spark__regexp_full_match(text, pattern) -%}
    ({{ text }} rlike '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro spark__numeric_text_to_double(text) -%}
    case
        when {{ regexp_full_match(
            'trim(' ~ text ~ ')', '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?'
        ) }}
            then try_cast(trim({{ text }}) as double)
    end
{%- endmacro %}

{#- Spark has no `double precision`. -#}
{% macro spark__type_double() -%}
    double
{%- endmacro %}

{% macro spark__safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double)
    / nullif(cast({{ denominator }} as double), 0)
{%- endmacro %}
