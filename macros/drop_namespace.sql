{#- Rule 2: a type without its namespace prefix, everything up to the last
    '.'. (?s) lets the prefix hold any character, a newline included. -#}
{% macro drop_namespace(type_text) -%}
    regexp_replace({{ type_text }}, '(?s)^.*[.]', '')
{%- endmacro %}
