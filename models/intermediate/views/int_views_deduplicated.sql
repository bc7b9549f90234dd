{{
    config(
        materialized=keyed_incremental_materialization(),
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

    select distinct
        tracking_id,
        context_id,
        view_number
    from landed_views

),

-- The copies already built of every view key that newly landed.
built_copies as (

    select built.*
    from {{ this }} as built
    inner join landed_keys
        on
            built.tracking_id = landed_keys.tracking_id
            and built.context_id = landed_keys.context_id
            and built.view_number = landed_keys.view_number

),

candidates as (

    select
        landed_views.view_id,
        landed_views.tracking_id,
        landed_views.context_id,
        landed_views.view_number,
        landed_views.session_number,
        landed_views.source_file,
        landed_views.line_number,
        landed_views.view_ts,
        landed_views.view_url,
        landed_views.view_type,
        landed_views.page_type,
        landed_views._loaded_at
    from landed_views

    union all

    select
        built_copies.view_id,
        built_copies.tracking_id,
        built_copies.context_id,
        built_copies.view_number,
        built_copies.session_number,
        built_copies.source_file,
        built_copies.line_number,
        built_copies.view_ts,
        built_copies.view_url,
        built_copies.view_type,
        built_copies.page_type,
        built_copies._loaded_at
    from built_copies

),

{% else %}

candidates as (

    select * from usable_views

),

{% endif %}

-- Few views are sent more than once: rank only their copies, since a
-- window over every view costs far more than finding the repeated keys.
resent_keys as (

    select
        tracking_id,
        context_id,
        view_number
    from candidates
    group by tracking_id, context_id, view_number
    having count(*) > 1

),

resent_copies as (

    select
        candidates.*,
        row_number() over (
            partition by
                candidates.tracking_id,
                candidates.context_id,
                candidates.view_number
            order by
                candidates.view_ts,
                candidates.source_file,
                candidates.line_number
        ) as copy_rank
    from candidates
    inner join resent_keys
        on
            candidates.tracking_id = resent_keys.tracking_id
            and candidates.context_id = resent_keys.context_id
            and candidates.view_number = resent_keys.view_number

),

single_copies as (

    select
        candidates.*,
        1 as copy_rank
    from candidates
    left join resent_keys
        on
            candidates.tracking_id = resent_keys.tracking_id
            and candidates.context_id = resent_keys.context_id
            and candidates.view_number = resent_keys.view_number
    where resent_keys.tracking_id is null

),

ranked as (

    select * from resent_copies
    union all
    select * from single_copies

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
