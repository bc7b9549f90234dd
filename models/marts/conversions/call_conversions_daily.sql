{#- Contract 3b: sessions, converted sessions, calls and phone orders per
    UTC session date, property and entry page type (null is its own group),
    with the phone conversion rate. Rebuilt whole on every build. -#}

with

sessions as (

    select * from {{ ref('call_sessions') }}

),

daily_counts as (

    select
        session_date,
        tracking_id,
        entry_page_type,
        count(*) as sessions,
        sum(case when is_converted then 1 else 0 end) as converted_sessions,
        sum(calls) as calls,
        sum(phone_orders) as phone_orders
    from sessions
    group by 1, 2, 3

),

final as (

    select
        session_date,
        cast(tracking_id as {{ dbt.type_string() }}) as tracking_id,
        cast(entry_page_type as {{ dbt.type_string() }}) as entry_page_type,
        cast(sessions as integer) as sessions,
        cast(converted_sessions as integer) as converted_sessions,
        cast(calls as integer) as calls,
        cast(phone_orders as integer) as phone_orders,
        {{ safe_divide('converted_sessions', 'sessions') }}
            as phone_conversion_rate
    from daily_counts

)

select * from final
