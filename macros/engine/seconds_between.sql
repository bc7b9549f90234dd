{#- Seconds from `start_ts` to `end_ts` (timestamps), as a double kept to
    the millisecond: negative when end is before start, null when either is
    null. dbt.datediff('second') would count whole second boundaries only. -#}
{% macro seconds_between(start_ts, end_ts) -%}
    {{ return(adapter.dispatch('seconds_between', 'call_tracking')(
        start_ts, end_ts
    )) }}
{%- endmacro %}

{#- Portable SQL: the epoch of the interval (Postgres, Redshift,
    Snowflake's extract accepts it too). -#}
{% macro default__seconds_between(start_ts, end_ts) -%}
    cast(extract(epoch from ({{ end_ts }} - {{ start_ts }})) as double precision)
{%- endmacro %}

{#- DuckDB: whole microseconds since the epoch, subtracted. -#}
{% macro duckdb__seconds_between(start_ts, end_ts) -%}
    ((epoch_us({{ end_ts }}) - epoch_us({{ start_ts }})) / 1000000.0)
{%- endmacro %}
