{#- Every kept call event of the three TransactionSummary marts in one
    relation, at the grain of one call: what the semantic layer's
    call_events semantic model measures (calls, matches, phone revenue). -#}

with

ec_basket_transactions as (

    select * from {{ ref('ec_basket_transaction_summary') }}

),

tr_package_transactions as (

    select * from {{ ref('tr_package_transaction_summary') }}

),

fi_basket_transactions as (

    select * from {{ ref('fi_basket_transaction_summary') }}

),

unioned as (

    select * from ec_basket_transactions
    union all
    select * from tr_package_transactions
    union all
    select * from fi_basket_transactions

),

final as (

    select
        -- ids
        event_id,
        tracking_id,
        vendor,
        event_type,
        transaction_id,
        context_id,
        view_id,
        -- strings
        total_currency,
        page_type,
        -- numerics
        total_value,
        -- booleans
        is_offline,
        is_matched,
        -- timestamps
        cast(event_ts as date) as event_date,
        event_ts,
        view_ts
    from unioned

)

select * from final
