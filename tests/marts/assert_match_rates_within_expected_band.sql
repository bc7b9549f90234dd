{{ config(severity='warn', store_failures=true) }}

{#-
    Property-days whose online match rate falls below
    var('min_expected_match_rate') (default 67%, the bottom of the usual
    67%-96% band). A warning, not an error: the data may really be like
    that, but someone should look (a tracking change, late views). Only
    days with at least var('min_online_calls_for_match_rate') online calls
    count: 1 of 3 is no outage. The failing rows are stored (and listed
    after the build by report_match_rate_warnings).
-#}

with

daily_rates as (

    select
        event_date,
        tracking_id,
        sum(matched_events) as matched_events,
        sum(online_events) as online_events
    from {{ ref('call_match_rates') }}
    group by event_date, tracking_id

)

select
    event_date,
    tracking_id,
    matched_events,
    online_events,
    {{ safe_divide('matched_events', 'online_events') }} as online_match_rate
from daily_rates
where
    online_events >= {{ var('min_online_calls_for_match_rate') }}
    and {{ safe_divide('matched_events', 'online_events') }}
    < {{ var('min_expected_match_rate') }}
