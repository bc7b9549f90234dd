{{ config(materialized='view') }}

{#- Both vendors' staged events (and bad lines) in one relation. -#}

with

responsetap as (

    select * from {{ ref('stg_responsetap__call_events') }}

),

infinity as (

    select * from {{ ref('stg_infinity__call_events') }}

),

final as (

    select * from responsetap
    union all
    select * from infinity

)

select * from final
