{#- Rule 1: a numeric meta.ts of 100,000,000,000 or more is milliseconds,
    below that seconds. `value` is a double; returns seconds. -#}
{% macro epoch_value_to_seconds(value) -%}
    case
        when {{ value }} >= 100000000000 then {{ value }} / 1000.0
        else {{ value }}
    end
{%- endmacro %}
