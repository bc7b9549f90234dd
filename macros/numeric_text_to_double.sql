{#- Text that is a plain decimal number ('12', '-1.5', '1e3', ' 7 ') as a
    double; null for anything else. Engines' casts accept more than JSON
    numbers do ('1_000', 'nan', 'infinity'), so the shape is checked first. -#}
{% macro numeric_text_to_double(text) -%}
    {{ return(adapter.dispatch('numeric_text_to_double')(text)) }}
{%- endmacro %}

{% macro default__numeric_text_to_double(text) -%}
    case
        when regexp_full_match(
            trim({{ text }}), '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?'
        )
            then cast(trim({{ text }}) as double)
    end
{%- endmacro %}

{#- A double that is a whole number within 32 bits, as an integer; null
    for fractions and out-of-range values. -#}
{% macro whole_double_to_integer(value) -%}
    case
        when {{ value }} between -2147483648 and 2147483647
            and {{ value }} = floor({{ value }})
            then cast({{ value }} as integer)
    end
{%- endmacro %}
