{{ config(severity='warn') }}

{#-
    Per property, the calls of call_sessions are exactly the kept online
    calls matched to a view that has a sessionNumber (the matched view's
    session_number in the TransactionSummary marts), and the daily
    conversions add up to call_sessions. Returns the properties that
    differ. A warning, not an error: a view re-sent later than
    rematch_lookback_days (rule 6) may leave a built match behind.
-#}

with

sessions as (

    select * from {{ ref('call_sessions') }}

),

conversions_daily as (

    select * from {{ ref('call_conversions_daily') }}

),

matched_events as (

    select * from {{ ref('int_call_events_matched') }}

),

session_totals as (

    select
        tracking_id,
        count(*) as sessions,
        sum(calls) as calls,
        sum(phone_orders) as phone_orders
    from sessions
    group by tracking_id

),

daily_totals as (

    select
        tracking_id,
        sum(sessions) as sessions,
        sum(calls) as calls,
        sum(phone_orders) as phone_orders
    from conversions_daily
    group by tracking_id

),

call_totals as (

    select
        tracking_id,
        count(*) as calls,
        sum(
            case when total_value is not null then 1 else 0 end
        ) as phone_orders
    from matched_events
    where
        not is_duplicate
        and is_matched
        and session_number is not null
    group by tracking_id

),

final as (

    select
        session_totals.tracking_id,
        session_totals.sessions,
        session_totals.calls,
        session_totals.phone_orders,
        daily_totals.sessions as daily_sessions,
        daily_totals.calls as daily_calls,
        coalesce(call_totals.calls, 0) as matched_calls,
        coalesce(call_totals.phone_orders, 0) as matched_phone_orders
    from session_totals
    left join daily_totals
        on session_totals.tracking_id = daily_totals.tracking_id
    left join call_totals
        on session_totals.tracking_id = call_totals.tracking_id
    where
        daily_totals.sessions is null
        or session_totals.sessions != daily_totals.sessions
        or session_totals.calls != daily_totals.calls
        or session_totals.phone_orders != daily_totals.phone_orders
        or session_totals.calls != coalesce(call_totals.calls, 0)
        or session_totals.phone_orders != coalesce(call_totals.phone_orders, 0)

)

select * from final
