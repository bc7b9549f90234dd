{{
    config(
        materialized=keyed_incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='rejected_id',
    )
}}

{#- The quarantine: one row per rejected line or event, with its reason
    (contract section 3 and the reject table of section 2). Keyed, so rows
    staged again (after a killed --full-refresh) replace, never repeat. -#}

with

rejected as (

    select *
    from {{ ref('stg_landing__call_events') }}
    where
        reject_reason is not null
        and {{ landed_since_last_run('_loaded_at', 'loaded_at') }}

),

final as (

    select
        cast(event_id as {{ dbt.type_string() }}) as rejected_id,
        cast(vendor as {{ dbt.type_string() }}) as vendor,
        cast(tracking_id as {{ dbt.type_string() }}) as tracking_id,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_number as integer) as line_number,
        cast(event_index as integer) as event_index,
        cast(reject_reason as {{ dbt.type_string() }}) as reason,
        cast(raw as {{ dbt.type_string() }}) as raw,
        cast(received_at as timestamp) as received_at,
        cast(_loaded_at as timestamp) as loaded_at
    from rejected

)

select * from final
