{{
    config(
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

good_events as (

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
    from {{ ref('int_call_events_unioned') }}
    where reject_reason is null

),

{% if is_incremental() %}

landed_keys as (

    select distinct dedup_key
    from good_events
    where {{ landed_since_last_run('_loaded_at', '_loaded_at') }}

),

candidates as (

    select good_events.*
    from good_events
    inner join landed_keys
        on good_events.dedup_key = landed_keys.dedup_key

),

{% else %}

candidates as (

    select * from good_events

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
        {{ run_started_at_timestamp() }} as _processed_at
    from ranked

)

select * from final
