{{
    config(
        incremental_strategy='delete+insert',
        unique_key=['tracking_id', 'context_id', 'view_number'],
    )
}}

{#-
    Every usable view (rule 7), flagged `is_duplicate` unless it is the
    kept copy of a re-sent view: per tracking id, context id and viewNumber
    the earliest meta.ts wins (ties: file path, then line).
-#}

with

usable_views as (

    select *
    from {{ ref('stg_qubit__views') }}
    where invalid_reason is null

),

{% if is_incremental() %}

landed_views as (

    select *
    from usable_views
    where {{ landed_since_last_run('_loaded_at', '_loaded_at') }}

),

landed_keys as (

    select distinct tracking_id, context_id, view_number
    from landed_views

),

candidates as (

    select
        view_id, tracking_id, context_id, view_number, session_number,
        source_file, line_number, view_ts, view_url, view_type, page_type,
        _loaded_at
    from landed_views

    union all

    select
        built.view_id, built.tracking_id, built.context_id,
        built.view_number, built.session_number, built.source_file,
        built.line_number, built.view_ts, built.view_url, built.view_type,
        built.page_type, built._loaded_at
    from {{ this }} as built
    inner join landed_keys
        on
            built.tracking_id = landed_keys.tracking_id
            and built.context_id = landed_keys.context_id
            and built.view_number = landed_keys.view_number

),

{% else %}

candidates as (

    select * from usable_views

),

{% endif %}

ranked as (

    select
        *,
        row_number() over (
            partition by tracking_id, context_id, view_number
            order by view_ts, source_file, line_number
        ) as copy_rank
    from candidates

),

final as (

    select
        view_id,
        tracking_id,
        context_id,
        view_number,
        session_number,
        source_file,
        line_number,
        view_ts,
        view_url,
        view_type,
        page_type,
        copy_rank > 1 as is_duplicate,
        _loaded_at
    from ranked

)

select * from final
