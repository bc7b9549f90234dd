{{
    config(
        materialized=keyed_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='event_id',
    )
}}

{#-
    Every good event (duplicates flagged) with the view it happened on
    (rule 5). Offline events and duplicates are never matched.

    Incremental (rule 6): events that were (re)ranked for duplicates since
    the last run, plus every kept event no more than rematch_lookback_days
    older than the newest event already built, are matched again against
    all views, so a late view, or a better one, is picked up.
-#}

{%- set window_minutes = var('match_window_minutes') | int -%}

with

deduplicated as (

    select * from {{ ref('int_call_events_deduplicated') }}

),

{% if is_incremental() %}

built as (

    select
        coalesce(max(_deduplicated_at), {{ beginning_of_time() }})
            as deduplicated_until,
        max(case when not is_duplicate then event_ts end) as newest_event_ts
    from {{ this }}

),

events_to_match as (

    select deduplicated.*
    from deduplicated
    cross join built
    where
        deduplicated._processed_at > built.deduplicated_until
        or deduplicated.event_ts >= {{ dbt.dateadd(
            'day', -1 * var('rematch_lookback_days') | int,
            'built.newest_event_ts'
        ) }}

),

{% else %}

events_to_match as (

    select * from deduplicated

),

{% endif %}

matchable_events as (

    select
        *,
        not is_offline and not is_duplicate as is_matchable
    from events_to_match

),

kept_views as (

    select *
    from {{ ref('int_views_deduplicated') }}
    where
        not is_duplicate
        -- Views earlier than this cannot be in any event's window.
        and view_ts >= (
            select {{ dbt.dateadd('minute', -window_minutes, 'min(event_ts)') }}
            from events_to_match
        )

),

matched as (

    {{ match_events_to_views(
        'matchable_events', 'kept_views', window_minutes
    ) }}

),

final as (

    select
        event_id,
        dedup_key,
        kept_event_id,
        is_duplicate,
        vendor,
        tracking_id,
        event_type,
        transaction_id,
        context_id,
        source_file,
        line_number,
        event_index,
        event_ts,
        event_url,
        received_at,
        total_value,
        total_currency,
        is_offline,
        matched_view_id is not null as is_matched,
        matched_view_id as view_id,
        matched_view_ts as view_ts,
        matched_view_url as view_url,
        matched_view_number as view_number,
        matched_session_number as session_number,
        matched_page_type as page_type,
        _processed_at as _deduplicated_at,
        {{ run_started_at_timestamp() }} as _processed_at
    from matched

)

select * from final
