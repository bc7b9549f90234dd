{#- on-run-end: when the match-rate band warned, the log says which
    property-days, read back from the rows the test stored. -#}
{% macro report_match_rate_warnings(results) -%}
    {%- if execute -%}
        {%- for result in results
            if result.node.name == 'assert_match_rates_within_expected_band'
            and result.status == 'warn' and result.node.relation_name -%}
            {%- set days = run_query(
                'select event_date, tracking_id, matched_events,'
                ~ ' online_events from ' ~ result.node.relation_name
                ~ ' order by event_date, tracking_id'
            ) -%}
            {%- do log(
                'Match rate below '
                ~ var('min_expected_match_rate') * 100 ~ '% on '
                ~ days.rows | length ~ ' property-days (stored in '
                ~ result.node.relation_name ~ '):', info=true
            ) -%}
            {%- for row in days.rows -%}
                {%- do log(
                    '  ' ~ row[0] ~ ' ' ~ row[1] ~ ': ' ~ row[2] ~ ' of '
                    ~ row[3] ~ ' online calls matched', info=true
                ) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
