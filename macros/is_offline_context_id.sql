{#- Rule 3: a context id starting with one of var('offline_id_prefixes'),
    compared case-insensitively. Only meaningful for ResponseTap events.
    The prefixes are data: each reaches SQL as a quoted literal (check_vars
    rejects other values before the build; `string` keeps parsing going). -#}
{% macro is_offline_context_id(context_id) -%}
    {%- set prefixes = var('offline_id_prefixes') -%}
    {%- if prefixes | length == 0 -%}
        false
    {%- else -%}
        (
        {%- for prefix in prefixes %}
            substr(lower({{ context_id }}), 1, {{ prefix | string | length }})
            = lower({{ sql_string(prefix) }}){{ ' or' if not loop.last }}
        {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}
