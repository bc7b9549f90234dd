{{
    config(
        materialized=keyed_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key=['source_file', 'line_number'],
    )
}}

{#- Rule 7 made visible: view lines not used for matching, with why.
    Keyed, so lines staged again replace, never repeat. -#}

with

unusable_views as (

    select *
    from {{ ref('stg_qubit__views') }}
    where
        invalid_reason is not null
        and {{ landed_since_last_run('_loaded_at', 'loaded_at') }}

),

final as (

    select
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_number as integer) as line_number,
        cast(tracking_id as {{ dbt.type_string() }}) as tracking_id,
        cast(invalid_reason as {{ dbt.type_string() }}) as reason,
        cast(raw as {{ dbt.type_string() }}) as raw,
        cast(_loaded_at as timestamp) as loaded_at
    from unusable_views

)

select * from final
