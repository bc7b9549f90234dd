{{
    config(
        materialized=keyed_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='dedup_key',
    )
}}

{#-
    Rule 4: every good event, flagged `is_duplicate` unless it is the one
    kept of its retries: the first received (ties: file path, line, position
    in `events`). A retry can land in a later file, so an incremental run
    ranks again every event that shares a key with a newly landed one.
-#}

with

landed_events as (

    select
        *,
        case
            when transaction_id is not null
                then {{ surrogate_key([
                    'tracking_id', 'vendor', 'event_type',
                    "'transaction'", 'transaction_id',
                ]) }}
            else {{ surrogate_key([
                'tracking_id', 'vendor', 'event_type',
                "'no transaction'", 'context_id', 'event_ts', 'event_url',
                'total_value', 'total_currency',
            ]) }}
        end as dedup_key
    from {{ ref('stg_landing__call_events') }}
    where
        reject_reason is null
        and {{ landed_since_last_run('_loaded_at', '_loaded_at') }}

),

{% if is_incremental() %}

landed_keys as (

    select distinct dedup_key
    from landed_events

),

-- The events already built that share a key with a newly landed one
-- (less any that landed again: staged anew after a killed --full-refresh).
built_events as (

    select built.*
    from {{ this }} as built
    inner join landed_keys
        on built.dedup_key = landed_keys.dedup_key
    where built.event_id not in (select event_id from landed_events)

),

candidates as (

    select
        landed_events.event_id,
        landed_events.dedup_key,
        landed_events.vendor,
        landed_events.tracking_id,
        landed_events.event_type,
        landed_events.transaction_id,
        landed_events.context_id,
        landed_events.source_file,
        landed_events.line_number,
        landed_events.event_index,
        landed_events.event_ts,
        landed_events.event_url,
        landed_events.received_at,
        landed_events.total_value,
        landed_events.total_currency,
        landed_events.is_offline,
        landed_events._loaded_at
    from landed_events

    union all

    select
        built_events.event_id,
        built_events.dedup_key,
        built_events.vendor,
        built_events.tracking_id,
        built_events.event_type,
        built_events.transaction_id,
        built_events.context_id,
        built_events.source_file,
        built_events.line_number,
        built_events.event_index,
        built_events.event_ts,
        built_events.event_url,
        built_events.received_at,
        built_events.total_value,
        built_events.total_currency,
        built_events.is_offline,
        built_events._loaded_at
    from built_events

),

{% else %}

candidates as (

    select * from landed_events

),

{% endif %}

ranked as (

    select
        *,
        first_value(event_id) over (
            partition by dedup_key
            order by received_at, source_file, line_number, event_index
        ) as kept_event_id
    from candidates

),

final as (

    select
        event_id,
        dedup_key,
        kept_event_id,
        event_id != kept_event_id as is_duplicate,
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
        _loaded_at,
        {{ monotonic_run_timestamp('_processed_at') }} as _processed_at
    from ranked

)

select * from final
