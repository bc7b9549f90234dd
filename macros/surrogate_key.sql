{#- A key from several columns, as dbt_utils.generate_surrogate_key does: a
    null is kept apart from the empty string, and a separator that no data
    holds keeps ('a-b', 'c') apart from ('a', 'b-c'). -#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string()
            ~ "), chr(30))"
        ) -%}
    {%- endfor -%}
    {{ hash_text("concat_ws(chr(31), " ~ parts | join(", ") ~ ")") }}
{%- endmacro %}
