{#- MetricFlow's time spine (see `time_spine:` in _semantic__models.yml):
    one row per day from 2000-01-01, the earliest plausible call time, to
    2100-01-01, written with dbt's own cross-database date_spine. -#}

with

days as (

    {{ dbt.date_spine(
        'day',
        "cast('2000-01-01' as date)",
        "cast('2100-01-01' as date)"
    ) }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
