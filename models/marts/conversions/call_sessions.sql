{#-
    Contract 3b: one row per visitor session (tracking id, context id,
    sessionNumber) with at least one usable view (rule 7), each view counted
    once at its earliest time (macro flag_duplicate_views). A view without an
    integer sessionNumber belongs to no session. Calls are the kept online
    events whose matched view (rule 5: tracking id, context id, viewNumber)
    is a view of the session. Rebuilt whole on every build, so a build after
    new files land gives what a full refresh gives (rule 6).
-#}

with

usable_views as (

    {{ usable_views() }}

),

matched_events as (

    select * from {{ ref('int_call_events_matched') }}

),

flagged_views as (

    {{ flag_duplicate_views('usable_views') }}

),

session_views as (

    select
        tracking_id,
        context_id,
        session_number,
        view_number,
        {{ view_id('context_id', 'view_number') }} as view_id,
        view_ts,
        view_url,
        page_type
    from flagged_views
    where
        not is_duplicate
        and session_number is not null

),

session_spans as (

    select
        tracking_id,
        context_id,
        session_number,
        min(view_ts) as session_start,
        max(view_ts) as session_end,
        count(*) as views
    from session_views
    group by 1, 2, 3

),

-- The first view: earliest time, ties the lowest viewNumber.
ranked_views as (

    select
        *,
        row_number() over (
            partition by tracking_id, context_id, session_number
            order by view_ts, view_number
        ) as view_rank
    from session_views

),

entry_views as (

    select
        tracking_id,
        context_id,
        session_number,
        view_id as entry_view_id,
        view_url as entry_url,
        page_type as entry_page_type
    from ranked_views
    where view_rank = 1

),

-- Kept online calls matched to a view (offline and duplicates never are).
matched_calls as (

    select
        tracking_id,
        context_id,
        view_number,
        event_ts,
        total_value
    from matched_events
    where
        not is_duplicate
        and not is_offline
        and is_matched

),

-- A call belongs to the session of the view it matched.
session_calls as (

    select
        session_views.tracking_id,
        session_views.context_id,
        session_views.session_number,
        count(*) as calls,
        sum(
            case when matched_calls.total_value is not null then 1 else 0 end
        ) as phone_orders,
        min(matched_calls.event_ts) as first_call_ts
    from matched_calls
    inner join session_views
        on
            matched_calls.tracking_id = session_views.tracking_id
            and matched_calls.context_id = session_views.context_id
            and matched_calls.view_number = session_views.view_number
    group by 1, 2, 3

),

sessions as (

    select
        session_spans.tracking_id,
        session_spans.context_id,
        session_spans.session_number,
        session_spans.session_start,
        session_spans.session_end,
        session_spans.views,
        entry_views.entry_view_id,
        entry_views.entry_url,
        entry_views.entry_page_type,
        coalesce(session_calls.calls, 0) as calls,
        coalesce(session_calls.phone_orders, 0) as phone_orders,
        session_calls.first_call_ts
    from session_spans
    inner join entry_views
        on
            session_spans.tracking_id = entry_views.tracking_id
            and session_spans.context_id = entry_views.context_id
            and session_spans.session_number = entry_views.session_number
    left join session_calls
        on
            session_spans.tracking_id = session_calls.tracking_id
            and session_spans.context_id = session_calls.context_id
            and session_spans.session_number = session_calls.session_number

),

final as (

    select
        -- ids
        cast(tracking_id as {{ dbt.type_string() }}) as tracking_id,
        cast(context_id as {{ dbt.type_string() }}) as context_id,
        cast(session_number as integer) as session_number,
        -- the span
        session_start,
        session_end,
        cast(session_start as date) as session_date,
        cast(views as integer) as views,
        -- the entry view
        cast(entry_view_id as {{ dbt.type_string() }}) as entry_view_id,
        cast(entry_url as {{ dbt.type_string() }}) as entry_url,
        cast(entry_page_type as {{ dbt.type_string() }}) as entry_page_type,
        -- calls
        cast(calls as integer) as calls,
        cast(phone_orders as integer) as phone_orders,
        first_call_ts,
        cast(
            {{ seconds_between('session_start', 'first_call_ts') }}
            as {{ type_double() }}
        ) as seconds_to_first_call,
        calls > 0 as is_converted
    from sessions

)

select * from final
