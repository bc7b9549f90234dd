{#- One TransactionSummary mart: the kept events of one type, with the
    contract's columns and types (contract section 3). The three marts
    differ only in `event_type`.

    Incremental: the run writes only rows that are new or differ from the
    built ones (delete+insert on event_id), and a post-hook deletes the
    rows of events no longer kept (a retry received earlier landed late).
    Comparing whole rows needs no extra column in the contract's marts and
    gives the same table as a rebuild whatever was built before. -#}
{% macro transaction_summary(event_type) %}

{{ config(
    materialized=keyed_incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='event_id',
    on_schema_change='fail',
    post_hook="{{ delete_events_no_longer_in_mart('" ~ event_type ~ "') }}",
) }}

with

matched_events as (

    select * from {{ ref('int_call_events_matched') }}

),

final as (

    select
        -- ids
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(tracking_id as {{ dbt.type_string() }}) as tracking_id,
        cast(vendor as {{ dbt.type_string() }}) as vendor,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(transaction_id as {{ dbt.type_string() }}) as transaction_id,
        cast(context_id as {{ dbt.type_string() }}) as context_id,
        -- the call
        cast(event_ts as timestamp) as event_ts,
        cast(event_url as {{ dbt.type_string() }}) as event_url,
        cast(received_at as timestamp) as received_at,
        cast(total_value as decimal(18, 4)) as total_value,
        cast(total_currency as {{ dbt.type_string() }}) as total_currency,
        -- booleans
        is_offline,
        is_matched,
        -- the view it happened on
        cast(view_id as {{ dbt.type_string() }}) as view_id,
        cast(view_ts as timestamp) as view_ts,
        cast(view_url as {{ dbt.type_string() }}) as view_url,
        cast(view_number as integer) as view_number,
        cast(session_number as integer) as session_number,
        cast(page_type as {{ dbt.type_string() }}) as page_type
    from matched_events
    where
        not is_duplicate
        and event_type = '{{ event_type }}'

)

select * from final
{% if is_incremental() %}
except
select * from {{ this }}
{% endif %}

{% endmacro %}

{#- Post-hook of an incremental TransactionSummary mart: delete the rows
    of events that are no longer kept events of its type. -#}
{% macro delete_events_no_longer_in_mart(event_type) %}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where event_id in (
            select event_id from {{ this }}
            except
            select event_id
            from {{ ref('int_call_events_matched') }}
            where
                not is_duplicate
                and event_type = '{{ event_type }}'
        )
    {%- endif -%}
{% endmacro %}
