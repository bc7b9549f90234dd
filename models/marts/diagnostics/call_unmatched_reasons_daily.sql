{#- Unmatched call events per UTC day, property, vendor and reason, beside
    that day's online events, so a fall in the match rate can be read as
    "which reason grew". Rows exist only for reasons that occurred. -#}

with

unmatched_events as (

    select * from {{ ref('call_events_unmatched') }}

),

match_rates as (

    select * from {{ ref('call_match_rates') }}

),

daily_online_events as (

    select
        event_date,
        tracking_id,
        vendor,
        sum(online_events) as online_events
    from match_rates
    group by event_date, tracking_id, vendor

),

daily_reasons as (

    select
        event_date,
        tracking_id,
        vendor,
        unmatched_reason,
        count(*) as unmatched_events,
        min(gap_seconds) as min_gap_seconds,
        avg(gap_seconds) as avg_gap_seconds
    from unmatched_events
    group by event_date, tracking_id, vendor, unmatched_reason

),

final as (

    select
        -- grain
        daily_reasons.event_date,
        daily_reasons.tracking_id,
        daily_reasons.vendor,
        daily_reasons.unmatched_reason,
        -- counts
        cast(daily_reasons.unmatched_events as integer) as unmatched_events,
        cast(daily_online_events.online_events as integer) as online_events,
        -- rates and gaps
        {{ safe_divide(
            'daily_reasons.unmatched_events',
            'daily_online_events.online_events'
        ) }} as share_of_online_events,
        cast(daily_reasons.min_gap_seconds as {{ type_double() }})
            as min_gap_seconds,
        cast(daily_reasons.avg_gap_seconds as {{ type_double() }})
            as avg_gap_seconds
    from daily_reasons
    left join daily_online_events
        on
            daily_reasons.event_date = daily_online_events.event_date
            and daily_reasons.tracking_id = daily_online_events.tracking_id
            and daily_reasons.vendor = daily_online_events.vendor

)

select * from final
