{#- Incremental runs only: true for rows whose `column` (a load time) is
    later than the latest `built_column` already in this model, i.e. rows
    that landed since this model last ran. On a full build: true. -#}
{% macro landed_since_last_run(column, built_column) -%}
    {%- if is_incremental() -%}
        {{ column }} > (
            select coalesce(max({{ built_column }}), {{ beginning_of_time() }})
            from {{ this }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- A timestamp earlier than any landing data. -#}
{% macro beginning_of_time() -%}
    cast('1900-01-01' as timestamp)
{%- endmacro %}
