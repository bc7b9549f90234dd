{#-
    One row per line of the views folder: Qubit page views (contract 1b).
    A line that cannot be used for matching (rule 7) keeps its row with an
    `invalid_reason`, so the count of unusable views is visible.
    Each line's JSON is parsed once, into all the fields the match needs.
-#}

with

lines as (

    select * from {{ ref('base_landing__lines') }}
    where landing_folder = 'views'

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

parsed as (

    select
        source_file,
        line_number,
        line,
        loaded_at,
        {{ json_texts_at(valid_json_object_or_null('line'), [
            '$.meta.trackingId',
            '$.context.id',
            '$.context.viewNumber',
            '$.context.sessionNumber',
            '$.meta.ts',
            '$.meta.url',
            '$.meta.type',
            '$.type',
        ], known_valid=true) }} as fields,
        is_valid_utf8
    from new_lines

),

field_values as (

    select
        source_file,
        line_number,
        line,
        loaded_at,
        is_valid_utf8 and fields is not null as is_json_object,
        {{ json_scalar_or_null('fields[1]', 'line', '$.meta.trackingId') }}
            as tracking_id,
        {{ json_scalar_or_null('fields[2]', 'line', '$.context.id') }}
            as context_id,
        {{ numeric_text_to_double('fields[3]') }}
            as view_number_value,
        {{ numeric_text_to_double('fields[4]') }}
            as session_number_value,
        {{ numeric_text_to_double('fields[5]') }}
            as ts_value,
        fields[6] as view_url,
        {{ drop_namespace('fields[7]') }} as view_type,
        fields[8] as page_type
    from parsed

),

typed as (

    select
        source_file,
        line_number,
        line,
        loaded_at,
        is_json_object,
        tracking_id,
        context_id,
        view_url,
        view_type,
        page_type,
        {{ whole_double_to_integer('view_number_value') }} as view_number,
        {{ whole_double_to_integer('session_number_value') }}
            as session_number,
        {{ epoch_value_to_seconds('ts_value') }} as ts_seconds
    from field_values

),

checked as (

    select
        *,
        case
            when not is_json_object then 'invalid_line'
            when tracking_id is null then 'missing_tracking_id'
            when context_id is null then 'missing_context_id'
            when view_number is null then 'missing_view_number'
            -- A plausible view time: from 2000-01-01 to 2100-01-01.
            when
                ts_seconds is null
                or not (ts_seconds >= 946684800 and ts_seconds < 4102444800)
                then 'invalid_ts'
        end as invalid_reason
    from typed

),

final as (

    select
        -- ids (view_id, macro view_id, is computed where views are used)
        tracking_id,
        context_id,
        view_number,
        session_number,
        -- where it came from
        source_file,
        line_number,
        -- the view
        case
            when invalid_reason is null
                then {{ epoch_seconds_to_timestamp('ts_seconds') }}
        end as view_ts,
        view_url,
        view_type,
        page_type,
        -- quarantine
        invalid_reason,
        case when invalid_reason is not null then line end as raw,
        loaded_at as _loaded_at
    from checked

)

select * from final
