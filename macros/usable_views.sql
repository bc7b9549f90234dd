{#- Rule 7: the staged views that can be used for matching (no
    invalid_reason), with every column a caller may need; callers select
    theirs. The one place that says which views count. -#}
{% macro usable_views() %}
    select
        tracking_id,
        context_id,
        view_number,
        session_number,
        source_file,
        line_number,
        view_ts,
        view_url,
        view_type,
        page_type,
        _loaded_at
    from {{ ref('stg_qubit__views') }}
    where invalid_reason is null
{% endmacro %}
