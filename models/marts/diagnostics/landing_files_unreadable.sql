{#- A table: the tests read Spark's tables from their files. -#}
{{ config(materialized='table') }}

{#- Contract section 1: landing files that cannot be read whole are not
    used, and are listed here with their error until they change and read
    well. -#}

with

checks as (

    select * from {{ ref('base_landing__files') }}

),

latest_checks as (

    select
        *,
        row_number() over (
            partition by source_file
            order by checked_at desc
        ) as check_rank
    from checks

),

final as (

    select
        source_file,
        landing_folder,
        size_bytes,
        modified_at,
        read_error,
        checked_at
    from latest_checks
    where
        check_rank = 1
        and read_error is not null

)

select * from final
