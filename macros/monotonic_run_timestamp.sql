{#- When this run wrote its rows, for a load-time column that later models
    compare against: dbt's start time, but always after the newest
    `column` already in this model, so a clock set back (or a build run
    with a clock ahead) never hides rows from the builds after it. -#}
{% macro monotonic_run_timestamp(column) -%}
    {%- if is_incremental() -%}
        (
            select
                greatest(
                    {{ run_started_at_timestamp() }},
                    coalesce(
                        max({{ dbt.dateadd('millisecond', 1, column) }}),
                        {{ run_started_at_timestamp() }}
                    )
                )
            from {{ this }}
        )
    {%- else -%}
        {{ run_started_at_timestamp() }}
    {%- endif -%}
{%- endmacro %}
