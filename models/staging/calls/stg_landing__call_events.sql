{#-
    Every call event of both vendors' landing folders, one row per event
    (or per line, when the line itself is bad): parsed once, typed, flagged
    offline (rule 3) and given the first reject reason of the contract's
    table that applies (null when the event is good). Both vendors send the
    same request format (one HTTP request a line), so one model stages
    both; the vendor is the folder's name.

    Nothing is lost here: good events go on to deduplication and the
    marts, the others to call_events_rejected.

    Incremental: the lines of files not staged yet (files, not load times,
    so a file is staged once even when a killed --full-refresh left
    base_landing__lines read anew).
-#}
with

lines as (

    select * from {{ ref('base_landing__lines') }}
    where landing_folder in ('responsetap', 'infinity')

),

{% if is_incremental() %}

-- Files, not load times: a file is staged once, even when a killed
-- --full-refresh left base_landing__lines read anew.
new_lines as (

    select * from lines
    where source_file not in (select distinct source_file from {{ this }})

),

{% else %}

new_lines as (

    select * from lines

),

{% endif %}

event_types as (

    select * from {{ ref('call_event_types') }}

),

requests as (

    select
        landing_folder as vendor,
        source_file,
        line_number,
        line,
        loaded_at,
        case
            when is_valid_utf8 then {{ valid_json_object_or_null('line') }}
        end as request_json
    from new_lines

),

request_values as (

    -- Each JSON document is parsed once for all the fields taken from it.
    select
        *,
        {{ json_values_at('request_json', [
            '$.tracking_id', '$.received_at', '$.body',
        ], known_valid=true) }} as request_json_fields
    from requests

),

request_fields as (

    select
        *,
        {{ json_string_at('request_json_fields[1]') }} as tracking_id,
        {{ iso8601_to_utc_timestamp(json_string_at('request_json_fields[2]')) }}
            as received_at,
        -- A string body holds the request's JSON; an object is taken as is.
        {{ json_text('request_json_fields[3]', '$') }} as body
    from request_values

),

request_bodies as (

    select
        *,
        {{ json_path_value(valid_json_or_null('body'), '$.events') }}
            as body_events
    from request_fields

),

line_checks as (

    select
        *,
        case
            when
                request_json is null
                or tracking_id is null
                or received_at is null
                or body is null
                then 'invalid_line'
            when
                coalesce({{ json_type_at('body_events', '$') }}, 'absent')
                != 'array'
                then 'invalid_body'
        end as line_reject_reason
    from request_bodies

),

checked_requests as (

    -- Read twice below (events, bad lines): only what those need, so the
    -- line and its parsed copies are not kept around for each.
    select
        vendor,
        source_file,
        line_number,
        loaded_at,
        tracking_id,
        received_at,
        line_reject_reason,
        case when line_reject_reason is null then body_events end
            as body_events,
        case when line_reject_reason is not null then line end as bad_line
    from line_checks

),

events as (

    -- Only the request's own fields go along with each event: a line of
    -- many events would otherwise repeat the whole line per event.
    select
        vendor,
        source_file,
        line_number,
        loaded_at,
        tracking_id,
        received_at,
        {{ json_array_elements_with_index(
            'body_events', 'event', 'event_index'
        ) }}
    from checked_requests
    where line_reject_reason is null

),

event_values as (

    -- Events come out of a parsed body, so they are valid JSON: one parse
    -- gives every field as text (objects as their JSON text).
    select
        *,
        coalesce({{ json_type_at('event', '$') }} = 'object', false)
            as is_event_object,
        {{ json_texts_at('event', [
            '$.context.id', '$.transaction.id', '$.meta.url', '$.meta.type',
            '$.meta.ts',
            '$.basket.total', '$.basket.total.value', '$.basket.total.currency',
            '$.package.total', '$.package.total.value',
            '$.package.total.currency',
        ], known_valid=true) }} as event_texts
    from events

),

event_fields as (

    select
        *,
        {{ json_scalar_or_null('event_texts[1]', 'event', '$.context.id') }}
            as context_id,
        {{ json_scalar_or_null('event_texts[2]', 'event', '$.transaction.id') }}
            as transaction_id,
        {{ json_scalar_or_null(
            'event_texts[3]', 'event', '$.meta.url', empty_as_null=false
        ) }} as event_url,
        {{ drop_namespace('event_texts[4]') }} as event_type,
        {{ numeric_text_to_double('event_texts[5]') }} as ts_value,
        event_texts[6] as basket_total_text,
        event_texts[7] as basket_total_value_text,
        event_texts[8] as basket_total_currency_text,
        event_texts[9] as package_total_text,
        event_texts[10] as package_total_value_text,
        event_texts[11] as package_total_currency_text
    from event_values

),

event_totals as (

    -- The total sits in basket.total, or package.total for tr events.
    select
        event_fields.*,
        event_types.total_object,
        case event_types.total_object
            when 'basket' then event_fields.basket_total_text
            when 'package' then event_fields.package_total_text
        end as total_text,
        case event_types.total_object
            when 'basket' then event_fields.basket_total_value_text
            when 'package' then event_fields.package_total_value_text
        end as total_value_text,
        case event_types.total_object
            when 'basket' then event_fields.basket_total_currency_text
            when 'package' then event_fields.package_total_currency_text
        end as total_currency_text,
        {{ epoch_value_to_seconds('ts_value') }} as ts_seconds
    from event_fields
    left join event_types
        on event_fields.event_type = event_types.event_type

),

event_checks as (

    select
        *,
        -- JSON null reads as SQL null: a null total is no total.
        total_text is not null as has_total,
        {{ to_decimal_18_4('total_value_text') }} as total_value,
        -- Only a JSON string can read as three letters.
        case
            when {{ regexp_full_match('total_currency_text', '[A-Za-z]{3}') }}
                then upper(total_currency_text)
        end as total_currency,
        -- Rule 1 and the invalid_ts reason: plausible is from 2000-01-01 to
        -- one day after the request arrived.
        case
            when
                ts_seconds >= 946684800
                and ts_seconds
                <= {{ timestamp_to_epoch_seconds('received_at') }} + 86400
                then {{ epoch_seconds_to_timestamp('ts_seconds') }}
        end as event_ts
    from event_totals

),

checked_events as (

    select
        *,
        case
            when not is_event_object then 'invalid_event'
            when context_id is null then 'missing_context_id'
            when total_object is null then 'unknown_event_type'
            when event_ts is null then 'invalid_ts'
            when has_total and (total_value is null or total_currency is null)
                then 'invalid_total'
        end as reject_reason
    from event_checks

),

event_rows as (

    select
        -- ids
        {{ surrogate_key(['source_file', 'line_number', 'event_index']) }}
            as event_id,
        vendor,
        tracking_id,
        event_type,
        transaction_id,
        context_id,
        -- where it came from
        source_file,
        line_number,
        event_index,
        -- the event
        event_ts,
        event_url,
        received_at,
        case when has_total then total_value end as total_value,
        case when has_total then total_currency end as total_currency,
        -- booleans
        -- Rule 3: only ResponseTap sends offline calls.
        coalesce(
            vendor = 'responsetap'
            and {{ is_offline_context_id('context_id') }},
            false
        ) as is_offline,
        -- quarantine
        reject_reason,
        -- Raw text is kept for the quarantine only: fields a vendor sends
        -- beyond the contract's (a phone number, say) are not stored for
        -- kept events.
        case
            when reject_reason is not null
                then coalesce(cast(event as {{ dbt.type_string() }}), 'null')
        end as raw,
        loaded_at as _loaded_at
    from checked_events

),

line_rows as (

    select
        {{ surrogate_key([
            'source_file', 'line_number', 'cast(null as integer)',
        ]) }} as event_id,
        vendor,
        tracking_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        cast(null as {{ dbt.type_string() }}) as context_id,
        source_file,
        line_number,
        cast(null as integer) as event_index,
        cast(null as timestamp) as event_ts,
        cast(null as {{ dbt.type_string() }}) as event_url,
        received_at,
        cast(null as decimal(18, 4)) as total_value,
        cast(null as {{ dbt.type_string() }}) as total_currency,
        false as is_offline,
        line_reject_reason as reject_reason,
        bad_line as raw,
        loaded_at as _loaded_at
    from checked_requests
    where line_reject_reason is not null

),

final as (

    select * from event_rows
    union all
    select * from line_rows

)

select * from final
