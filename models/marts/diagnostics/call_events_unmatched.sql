{#-
    Why each kept, online call event did not match a view (rule 5): one row
    per such event, with `unmatched_reason` and the views around it. Only
    kept, usable views count, as in the match itself.

    Precedence (the first that applies): the call's own property first,
    since only its views can ever match; then other properties; then none.
      1. view_in_window_landed_late: a view in the window exists now, but
         it landed after the call was last matched (rule 6 lookback).
      2. nearest_view_outside_window: the latest earlier view is more than
         match_window_minutes before the call (`gap_seconds`).
      3. views_only_after_call: this tracking id + context id has views,
         none at or before the call.
      4. views_only_under_other_tracking_id: no views under this tracking
         id, but the same context id has views under another.
      5. no_views: no usable view of this context id at all.
-#}

{%- set window_minutes = var('match_window_minutes') | int -%}

with

matched_events as (

    select * from {{ ref('int_call_events_matched') }}

),

unmatched_events as (

    select
        event_id,
        tracking_id,
        vendor,
        event_type,
        transaction_id,
        context_id,
        event_ts,
        received_at
    from matched_events
    where
        not is_duplicate
        and not is_offline
        and not is_matched

),

unmatched_contexts as (

    select distinct context_id
    from unmatched_events

),

-- Every copy of the views of these context ids, under any tracking id:
-- whole view keys, so the duplicate rank is whole.
context_views as (

    select
        staged_views.tracking_id,
        staged_views.context_id,
        staged_views.view_number,
        staged_views.source_file,
        staged_views.line_number,
        staged_views.view_ts
    from ({{ usable_views() }}) as staged_views
    inner join unmatched_contexts
        on staged_views.context_id = unmatched_contexts.context_id

),

flagged_views as (

    {{ flag_duplicate_views('context_views') }}

),

kept_views as (

    select
        tracking_id,
        context_id,
        view_ts
    from flagged_views
    where not is_duplicate

),

-- Views of the event's own tracking id and context id: the nearest one at
-- or before the call, and the first one after it.
same_property_views as (

    select
        unmatched_events.event_id,
        count(*) as same_property_views,
        max(
            case
                when kept_views.view_ts <= unmatched_events.event_ts
                    then kept_views.view_ts
            end
        ) as nearest_view_ts,
        min(
            case
                when kept_views.view_ts > unmatched_events.event_ts
                    then kept_views.view_ts
            end
        ) as next_view_ts
    from unmatched_events
    inner join kept_views
        on
            unmatched_events.tracking_id = kept_views.tracking_id
            and unmatched_events.context_id = kept_views.context_id
    group by unmatched_events.event_id

),

-- Views of the same context id under any other tracking id.
other_property_views as (

    select
        unmatched_events.event_id,
        count(*) as other_property_views,
        min(kept_views.tracking_id) as other_tracking_id
    from unmatched_events
    inner join kept_views
        on
            unmatched_events.context_id = kept_views.context_id
            and unmatched_events.tracking_id != kept_views.tracking_id
    group by unmatched_events.event_id

),

diagnosed as (

    select
        unmatched_events.*,
        same_property_views.nearest_view_ts,
        same_property_views.next_view_ts,
        other_property_views.other_tracking_id,
        coalesce(same_property_views.same_property_views, 0)
            as same_property_views,
        coalesce(other_property_views.other_property_views, 0)
            as other_property_views,
        case
            when
                same_property_views.nearest_view_ts
                >= {{ dbt.dateadd(
                    'minute', -window_minutes, 'unmatched_events.event_ts'
                ) }}
                then 'view_in_window_landed_late'
            when same_property_views.nearest_view_ts is not null
                then 'nearest_view_outside_window'
            when same_property_views.next_view_ts is not null
                then 'views_only_after_call'
            when other_property_views.other_property_views > 0
                then 'views_only_under_other_tracking_id'
            else 'no_views'
        end as unmatched_reason
    from unmatched_events
    left join same_property_views
        on unmatched_events.event_id = same_property_views.event_id
    left join other_property_views
        on unmatched_events.event_id = other_property_views.event_id

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
        -- the diagnosis
        cast(unmatched_reason as {{ dbt.type_string() }}) as unmatched_reason,
        cast(
            {{ seconds_between('nearest_view_ts', 'event_ts') }}
            as {{ type_double() }}
        ) as gap_seconds,
        cast(
            {{ seconds_between('event_ts', 'next_view_ts') }}
            as {{ type_double() }}
        ) as seconds_to_next_view,
        cast(same_property_views as integer) as same_property_views,
        cast(other_property_views as integer) as other_property_views,
        cast(other_tracking_id as {{ dbt.type_string() }})
            as other_tracking_id,
        -- timestamps
        cast(event_ts as date) as event_date,
        cast(event_ts as timestamp) as event_ts,
        cast(received_at as timestamp) as received_at,
        cast(nearest_view_ts as timestamp) as nearest_view_ts,
        cast(next_view_ts as timestamp) as next_view_ts
    from diagnosed

)

select * from final
