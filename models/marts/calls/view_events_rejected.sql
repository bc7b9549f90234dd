{{
    config(
        materialized='incremental',
        incremental_strategy='append',
    )
}}

{#- Rule 7 made visible: view lines not used for matching, with why. -#}

with

unusable_views as (

    select *
    from {{ ref('stg_qubit__views') }}
    where
        invalid_reason is not null
        {% if is_incremental() %}
            and _loaded_at > (
                select coalesce(max(loaded_at), cast('1900-01-01' as timestamp))
                from {{ this }}
            )
        {% endif %}

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
