{{
    config(
        materialized=keyed_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='event_id',
    )
}}

{#-
    Every good event (duplicates flagged) with the view it happened on
    (rule 5). Offline events and duplicates are never matched. Views are
    read from staging and re-sent copies ranked here (flag_duplicate_views),
    for the events' own visitors only.

    Incremental (rule 6): events that were (re)ranked for duplicates since
    the last run are matched again, and so is every event no more than
    rematch_lookback_days older than the newest event already built whose
    visitor (tracking id, context id) has a usable view staged since the
    last run, so a late view, or a better one, is picked up. A match
    depends only on the event and its visitor's views, so the other events
    cannot change and are left as built.
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
        coalesce(max(_views_loaded_until), {{ beginning_of_time() }})
            as views_loaded_until,
        max(case when not is_duplicate then event_ts end) as newest_event_ts
    from {{ this }}

),

visitors_with_new_views as (

    select distinct
        staged_views.tracking_id,
        staged_views.context_id
    from ({{ usable_views() }}) as staged_views
    cross join built
    where staged_views._loaded_at > built.views_loaded_until

),

events_to_match as (

    select deduplicated.*
    from deduplicated
    cross join built
    left join visitors_with_new_views
        on
            deduplicated.tracking_id = visitors_with_new_views.tracking_id
            and deduplicated.context_id = visitors_with_new_views.context_id
    where
        deduplicated._processed_at > built.deduplicated_until
        or (
            visitors_with_new_views.context_id is not null
            and deduplicated.event_ts >= {{ dbt.dateadd(
                'day', -1 * var('rematch_lookback_days') | int,
                'built.newest_event_ts'
            ) }}
        )

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

usable_views as (

    {{ usable_views() }}

),

matchable_visitors as (

    select distinct
        tracking_id,
        context_id
    from matchable_events
    where is_matchable

),

-- Only the views of these events' visitors can match: rank just those
-- (a minority of all views), every copy of each, so the rank is whole.
visitor_views as (

    select usable_views.*
    from usable_views
    inner join matchable_visitors
        on
            usable_views.tracking_id = matchable_visitors.tracking_id
            and usable_views.context_id = matchable_visitors.context_id

),

flagged_views as (

    {{ flag_duplicate_views('visitor_views') }}

),

kept_views as (

    select
        *,
        {{ view_id('context_id', 'view_number') }} as view_id
    from flagged_views
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

-- How far staged views have been read: the next run's new views are
-- the ones loaded after this.
views_loaded as (

    select max(_loaded_at) as views_loaded_until
    from {{ ref('stg_qubit__views') }}

),

matched_as_of as (

    select
        matched.*,
        views_loaded.views_loaded_until
    from matched
    cross join views_loaded

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
        views_loaded_until as _views_loaded_until,
        {{ run_started_at_timestamp() }} as _processed_at
    from matched_as_of

)

select * from final
