{#-
    Per UTC day, property and vendor, the kept events of call_match_rates
    are exactly its matched plus offline events plus the unmatched ones of
    call_events_unmatched, and call_unmatched_reasons_daily counts the same
    unmatched events. Returns the day/property/vendor rows that differ.
-#}

with

match_rates as (

    select * from {{ ref('call_match_rates') }}

),

unmatched_events as (

    select * from {{ ref('call_events_unmatched') }}

),

unmatched_reasons_daily as (

    select * from {{ ref('call_unmatched_reasons_daily') }}

),

kept_events as (

    select
        event_date,
        tracking_id,
        vendor,
        sum(events) as events,
        sum(matched_events) as matched_events,
        sum(offline_events) as offline_events
    from match_rates
    group by event_date, tracking_id, vendor

),

unmatched_per_day as (

    select
        event_date,
        tracking_id,
        vendor,
        count(*) as unmatched_events
    from unmatched_events
    group by event_date, tracking_id, vendor

),

rolled_up_per_day as (

    select
        event_date,
        tracking_id,
        vendor,
        sum(unmatched_events) as unmatched_events
    from unmatched_reasons_daily
    group by event_date, tracking_id, vendor

),

compared as (

    select
        kept_events.event_date,
        kept_events.tracking_id,
        kept_events.vendor,
        kept_events.events,
        kept_events.matched_events,
        kept_events.offline_events,
        coalesce(unmatched_per_day.unmatched_events, 0) as unmatched_events,
        coalesce(rolled_up_per_day.unmatched_events, 0)
            as rolled_up_unmatched_events
    from kept_events
    left join unmatched_per_day
        on
            kept_events.event_date = unmatched_per_day.event_date
            and kept_events.tracking_id = unmatched_per_day.tracking_id
            and kept_events.vendor = unmatched_per_day.vendor
    left join rolled_up_per_day
        on
            kept_events.event_date = rolled_up_per_day.event_date
            and kept_events.tracking_id = rolled_up_per_day.tracking_id
            and kept_events.vendor = rolled_up_per_day.vendor

),

-- Unmatched rows for a day, property and vendor with no kept events.
orphans as (

    select
        unmatched_per_day.event_date,
        unmatched_per_day.tracking_id,
        unmatched_per_day.vendor,
        0 as events,
        0 as matched_events,
        0 as offline_events,
        unmatched_per_day.unmatched_events,
        unmatched_per_day.unmatched_events as rolled_up_unmatched_events
    from unmatched_per_day
    left join kept_events
        on
            unmatched_per_day.event_date = kept_events.event_date
            and unmatched_per_day.tracking_id = kept_events.tracking_id
            and unmatched_per_day.vendor = kept_events.vendor
    where kept_events.event_date is null

),

final as (

    select * from compared
    where
        events != matched_events + offline_events + unmatched_events
        or unmatched_events != rolled_up_unmatched_events

    union all

    select * from orphans

)

select * from final
