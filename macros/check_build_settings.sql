{#- The settings that shape the warehouse's rows, as text: an incremental
    build with other values would mix rows of both, so they are recorded
    and compared (check_build_settings). Prefixes compare case-insensitively
    and in any order. PostgreSQL builds from the lines its loader copied, so
    landing_dir does not shape its rows. -#}
{% macro build_settings() -%}
    {%- set prefixes = var('offline_id_prefixes') | map('lower') | unique -%}
    {%- set settings = {
        'offline_id_prefixes': tojson(prefixes | sort),
        'match_window_minutes': var('match_window_minutes') | string,
        'rematch_lookback_days': var('rematch_lookback_days') | string,
    } -%}
    {%- if target.type != 'postgres' -%}
        {%- do settings.update({'landing_dir': var('landing_dir')}) -%}
    {%- endif -%}
    {{ return(settings) }}
{%- endmacro %}

{#- Where build_settings are recorded: beside the landing manifest. -#}
{% macro build_settings_relation() -%}
    {{ return(api.Relation.create(
        database=target.get('database'),
        schema=generate_schema_name('staging', none) | trim,
        identifier='build_settings',
    )) }}
{%- endmacro %}

{#- on-run-start, after check_vars: a build whose settings differ from the
    ones the warehouse was built with stops before anything is written,
    saying what changed; --full-refresh rebuilds and records the new ones
    (so does the first build). -#}
{% macro check_build_settings() -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set current = build_settings() -%}
    {%- set relation = build_settings_relation() -%}
    {%- set existing = adapter.get_relation(
        database=relation.database,
        schema=relation.schema,
        identifier=relation.identifier,
    ) -%}
    {%- set recorded = {} -%}
    {%- if existing is not none -%}
        {%- for row in run_query(
            'select setting, setting_value from ' ~ existing
        ) -%}
            {%- do recorded.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set changes = [] -%}
    {%- for name, value in current | dictsort
        if name in recorded and recorded[name] != value -%}
        {%- do changes.append(
            name ~ ' was ' ~ recorded[name] ~ ', now ' ~ value
        ) -%}
    {%- endfor -%}
    {%- if changes and not flags.FULL_REFRESH -%}
        {{ exceptions.raise_compiler_error(
            'This warehouse was built with other settings ('
            ~ changes | join('; ') ~ '). Nothing was written. Run with'
            ~ ' --full-refresh to rebuild it with the new values, or pass'
            ~ ' the values it was built with.'
        ) }}
    {%- endif -%}
    {%- if flags.FULL_REFRESH or recorded != current -%}
        {%- set rows = [] -%}
        {%- for name, value in current | dictsort -%}
            {%- do rows.append(
                'select ' ~ sql_string(name) ~ ' as setting, '
                ~ sql_string(value) ~ ' as setting_value'
            ) -%}
        {%- endfor -%}
        {%- set select_sql = rows | join(' union all ') -%}
        {#- The hook runs the SQL returned, as dbt runs hooks (outside a
            transaction, so PostgreSQL keeps it). -#}
        {%- if existing is not none -%}
            {{ return(overwrite_table_sql(existing, select_sql)) }}
        {%- endif -%}
        {%- if not adapter.check_schema_exists(
            relation.database, relation.schema
        ) -%}
            {%- do adapter.create_schema(relation) -%}
        {%- endif -%}
        {{ return('create table ' ~ relation ~ ' as ' ~ select_sql) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- SQL replacing a table's rows with a select's (Spark: one statement). -#}
{% macro overwrite_table_sql(relation, select_sql) -%}
    {{ return(adapter.dispatch('overwrite_table_sql', 'call_tracking')(
        relation, select_sql
    )) }}
{%- endmacro %}

{% macro default__overwrite_table_sql(relation, select_sql) -%}
    delete from {{ relation }}; insert into {{ relation }} {{ select_sql }}
{%- endmacro %}
