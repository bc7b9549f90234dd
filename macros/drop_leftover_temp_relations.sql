{#- on-run-end: drops the intermediate relations dbt leaves behind (a
    Python incremental model's `<model>__dbt_tmp<timestamp>` table on
    DuckDB; any `__dbt_tmp` / `__dbt_backup` of a failed or killed build),
    so storage does not grow with every drop and analysts see no junk. Runs
    after failed builds too, so a killed build's are gone after the next. -#}
{% macro drop_leftover_temp_relations() -%}
    {{ return(adapter.dispatch(
        'drop_leftover_temp_relations', 'call_tracking'
    )()) }}
{%- endmacro %}

{% macro default__drop_leftover_temp_relations() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set leftovers = run_query(
        "select table_schema, table_name, table_type"
        ~ " from information_schema.tables"
        ~ " where table_catalog = " ~ sql_string(target.database)
        ~ " and (position('__dbt_tmp' in table_name) > 0"
        ~ " or position('__dbt_backup' in table_name) > 0)"
    ) -%}
    {%- set statements = [] -%}
    {%- for row in leftovers -%}
        {%- set relation = api.Relation.create(
            database=target.database, schema=row[0], identifier=row[1]
        ) -%}
        {%- set kind = 'view' if row[2] == 'VIEW' else 'table' -%}
        {%- do statements.append(
            'drop ' ~ kind ~ ' if exists ' ~ relation ~ ' cascade'
        ) -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}
