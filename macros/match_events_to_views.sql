{#-
    Rule 5, the match: for each event in `events`, the view in `views` of the
    same tracking id and context id with the latest view_ts at or before
    event_ts (ties: the higher view_number), if event_ts is at most
    `window_minutes` after it. Returns a select of every column of `events`
    plus the view's columns prefixed `matched_`, null when nothing matches.
    Events whose `is_matchable` is false (offline, duplicates) never match.

    Note: the latest earlier view is within the window exactly when some
    earlier view is, so "latest view, then check the window" and "latest
    view within the window" are the same match.
-#}
{% macro match_events_to_views(events, views, window_minutes) -%}
    {{ return(adapter.dispatch('match_events_to_views', 'call_tracking')(
        events, views, window_minutes
    )) }}
{%- endmacro %}

{#- Portable: join each event to the views within its window, keep the
    latest. -#}
{% macro default__match_events_to_views(events, views, window_minutes) %}
    select *
    from (
        select
            {{ events }}.*,
            {{ views }}.view_id as matched_view_id,
            {{ views }}.view_ts as matched_view_ts,
            {{ views }}.view_url as matched_view_url,
            {{ views }}.view_number as matched_view_number,
            {{ views }}.session_number as matched_session_number,
            {{ views }}.page_type as matched_page_type,
            row_number() over (
                partition by {{ events }}.event_id
                order by {{ views }}.view_ts desc, {{ views }}.view_number desc
            ) as match_rank
        from {{ events }}
        left join {{ views }}
            on
                {{ events }}.is_matchable
                and {{ events }}.tracking_id = {{ views }}.tracking_id
                and {{ events }}.context_id = {{ views }}.context_id
                and {{ views }}.view_ts <= {{ events }}.event_ts
                and {{ views }}.view_ts >= {{ dbt.dateadd(
                    'minute', -1 * window_minutes, events ~ '.event_ts'
                ) }}
    ) as ranked_matches
    where match_rank = 1
{% endmacro %}

{#- DuckDB: one ASOF join. Its single inequality column orders views by
    view_ts, then view_number (packed into one hugeint), so the view it
    finds already breaks ties on the higher view_number. -#}
{% macro duckdb__match_events_to_views(events, views, window_minutes) %}
    with

    ordered_events as (
        select
            *,
            cast(epoch_us(event_ts) as hugeint) * 4294967296 + 4294967295
                as match_order
        from {{ events }}
    ),

    ordered_views as (
        select
            *,
            cast(epoch_us(view_ts) as hugeint) * 4294967296
            + (cast(view_number as bigint) + 2147483648) as match_order
        from {{ views }}
    ),

    nearest_views as (
        select
            ordered_events.*,
            ordered_views.view_id as nearest_view_id,
            ordered_views.view_ts as nearest_view_ts,
            ordered_views.view_url as nearest_view_url,
            ordered_views.view_number as nearest_view_number,
            ordered_views.session_number as nearest_session_number,
            ordered_views.page_type as nearest_page_type
        from ordered_events
        asof left join ordered_views
            on
                ordered_events.tracking_id = ordered_views.tracking_id
                and ordered_events.context_id = ordered_views.context_id
                and ordered_events.match_order >= ordered_views.match_order
    )

    select
        * exclude (
            match_order, nearest_view_id, nearest_view_ts, nearest_view_url,
            nearest_view_number, nearest_session_number, nearest_page_type
        ),
        {%- for column in ['view_id', 'view_ts', 'view_url', 'view_number',
                           'session_number', 'page_type'] %}
        case
            when is_matchable
                and nearest_view_ts >= event_ts - interval {{ window_minutes }} minute
                then nearest_{{ column }}
        end as matched_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from nearest_views
{% endmacro %}
