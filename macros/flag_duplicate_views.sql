{#-
    Contract 1b, a re-sent view: per tracking id, context id and viewNumber
    the copy with the earliest view_ts is kept (ties: file path, then line).
    Returns a select of every column of `views` plus `is_duplicate`.

    The rank needs every copy of a key, so a caller that narrows `views`
    first must keep or drop whole keys (e.g. by tracking id and context id),
    never single copies (e.g. by time).
-#}
{% macro flag_duplicate_views(views) %}
    select
        {{ views }}.*,
        row_number() over (
            partition by
                {{ views }}.tracking_id,
                {{ views }}.context_id,
                {{ views }}.view_number
            order by
                {{ views }}.view_ts,
                {{ views }}.source_file,
                {{ views }}.line_number
        ) > 1 as is_duplicate
    from {{ views }}
{% endmacro %}
