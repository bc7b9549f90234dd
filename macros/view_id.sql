{#- Contract 1b: a view's id is `context.id || '-' || viewNumber`, as in
    Qubit's own exports. Computed where a view is used, not stored with
    every staged view line. -#}
{% macro view_id(context_id, view_number) -%}
    {{ context_id }} || '-' || cast({{ view_number }} as {{ dbt.type_string() }})
{%- endmacro %}
