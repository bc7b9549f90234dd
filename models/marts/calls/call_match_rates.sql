{#- Match rates per UTC day, property, vendor and event type (contract
    section 3). Recomputed whole on every build: it is small. -#}

with

kept_events as (

    select *
    from {{ ref('int_call_events_matched') }}
    where not is_duplicate

),

daily_counts as (

    select
        cast(event_ts as date) as event_date,
        tracking_id,
        vendor,
        event_type,
        count(*) as events,
        sum(case when is_offline then 1 else 0 end) as offline_events,
        sum(case when is_offline then 0 else 1 end) as online_events,
        sum(case when is_matched then 1 else 0 end) as matched_events
    from kept_events
    group by 1, 2, 3, 4

),

final as (

    select
        event_date,
        cast(tracking_id as {{ dbt.type_string() }}) as tracking_id,
        cast(vendor as {{ dbt.type_string() }}) as vendor,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        cast(events as integer) as events,
        cast(offline_events as integer) as offline_events,
        cast(online_events as integer) as online_events,
        cast(matched_events as integer) as matched_events,
        {{ safe_divide('matched_events', 'events') }} as match_rate,
        {{ safe_divide('matched_events', 'online_events') }}
            as online_match_rate
    from daily_counts

)

select * from final
