{#-
    Rule 8, per vendor: every staged event (or bad line) is in exactly one
    of a TransactionSummary mart, call_events_rejected or
    call_events_duplicated. Returns the vendors where the counts differ.
-#}

with

events_in as (

    select
        vendor,
        count(*) as events
    from {{ ref('stg_landing__call_events') }}
    group by vendor

),

events_out as (

    select vendor from {{ ref('ec_basket_transaction_summary') }}
    union all
    select vendor from {{ ref('tr_package_transaction_summary') }}
    union all
    select vendor from {{ ref('fi_basket_transaction_summary') }}
    union all
    select vendor from {{ ref('call_events_rejected') }}
    union all
    select vendor from {{ ref('call_events_duplicated') }}

),

events_out_per_vendor as (

    select
        vendor,
        count(*) as events
    from events_out
    group by vendor

)

select
    coalesce(events_in.vendor, events_out_per_vendor.vendor) as vendor,
    events_in.events as events_in,
    events_out_per_vendor.events as events_out
from events_in
full outer join events_out_per_vendor
    on events_in.vendor = events_out_per_vendor.vendor
where events_in.events is distinct from events_out_per_vendor.events
