{{ config(materialized='view') }}

{#-
    Every usable view (rule 7), flagged `is_duplicate` unless it is the
    kept copy of a re-sent view (macro flag_duplicate_views).

    A view, not a table: the match and the diagnostics rank only the views
    of their own calls' visitors (a minority of all views), so storing a
    ranked copy of every view would cost more than it saves. Analysts can
    query it; each query ranks every view.
-#}

with

usable_views as (

    select
        {{ view_id('context_id', 'view_number') }} as view_id,
        *
    from ({{ usable_views() }}) as staged_views

),

flagged as (

    {{ flag_duplicate_views('usable_views') }}

)

select * from flagged
