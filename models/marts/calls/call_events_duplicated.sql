{#- Rule 4 made visible: each event dropped as a retry of another, with the
    event kept in its place. -#}

with

duplicates as (

    select *
    from {{ ref('int_call_events_matched') }}
    where is_duplicate

),

final as (

    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(kept_event_id as {{ dbt.type_string() }}) as kept_event_id,
        cast(vendor as {{ dbt.type_string() }}) as vendor,
        cast(tracking_id as {{ dbt.type_string() }}) as tracking_id,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(transaction_id as {{ dbt.type_string() }}) as transaction_id,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_number as integer) as line_number,
        cast(event_index as integer) as event_index,
        cast(received_at as timestamp) as received_at
    from duplicates

)

select * from final
