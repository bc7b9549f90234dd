{#-
    Rule 8 at the line level: a vendor line that left no row in staging must
    be a good request whose `events` array is empty. Returns every other
    line that vanished.
-#}

with

vendor_lines as (

    select *
    from {{ ref('base_landing__lines') }}
    where landing_folder in ('responsetap', 'infinity')

),

staged_lines as (

    select distinct
        source_file,
        line_number
    from {{ ref('stg_landing__call_events') }}

),

unstaged_lines as (

    select vendor_lines.*
    from vendor_lines
    left join staged_lines
        on
            vendor_lines.source_file = staged_lines.source_file
            and vendor_lines.line_number = staged_lines.line_number
    where staged_lines.source_file is null

)

select
    source_file,
    line_number,
    line
from unstaged_lines
where
    coalesce(
        {{ json_text(
            valid_json_or_null(json_text(valid_json_or_null('line'), '$.body')),
            '$.events'
        ) }},
        ''
    ) != '[]'
