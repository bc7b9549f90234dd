{#- Fails for each file whose lines are not numbered 1..n, each number once:
    a file read twice (e.g. by an incremental run) or a line lost. Checks
    per file the count, the lowest and highest number and their sum, which
    a repeat and a gap can only offset by chance in all four at once: much
    cheaper than a unique test over every (file, line) pair. -#}
{% test lines_numbered_once(model, file_column, line_column) %}

    select
        {{ file_column }},
        count(*) as lines,
        min({{ line_column }}) as first_line,
        max({{ line_column }}) as last_line
    from {{ model }}
    group by {{ file_column }}
    having
        min({{ line_column }}) != 1
        or max({{ line_column }}) != count(*)
        or sum(cast({{ line_column }} as bigint))
        != cast(count(*) as bigint) * (count(*) + 1) / 2

{% endtest %}
