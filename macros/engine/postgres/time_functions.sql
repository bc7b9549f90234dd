{#- PostgreSQL time conversion (see macros/engine/time_functions.sql). All
    results are timestamps without time zone holding UTC, whatever the
    session's TimeZone. -#}

{#- to_timestamp rounds to the microsecond, as the DuckDB version. -#}
{% macro postgres__epoch_seconds_to_timestamp(seconds) -%}
    (to_timestamp({{ seconds }}) at time zone 'UTC')
{%- endmacro %}

{#- extract(epoch) of a timestamp without time zone reads it as UTC. -#}
{% macro postgres__timestamp_to_epoch_seconds(ts) -%}
    cast(extract(epoch from {{ ts }}) as double precision)
{%- endmacro %}

{#- call_tracking_iso8601_to_timestamp (create_engine_functions): the
    iso8601_pattern check, then a cast that returns null instead of
    raising, with no offset read as UTC. -#}
{% macro postgres__iso8601_to_utc_timestamp(text) -%}
    {{ engine_function('call_tracking_iso8601_to_timestamp') }}({{ text }})
{%- endmacro %}
