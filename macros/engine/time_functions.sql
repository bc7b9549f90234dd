{#- Unix seconds (a double, maybe fractional) to a UTC timestamp without
    time zone, kept to the microsecond. -#}
{% macro epoch_seconds_to_timestamp(seconds) -%}
    {{ return(adapter.dispatch('epoch_seconds_to_timestamp', 'call_tracking')(seconds)) }}
{%- endmacro %}

{% macro duckdb__epoch_seconds_to_timestamp(seconds) -%}
    make_timestamp(cast(round({{ seconds }} * 1000000) as bigint))
{%- endmacro %}

{#- Seconds since the epoch of a UTC timestamp, as a double. -#}
{% macro timestamp_to_epoch_seconds(ts) -%}
    {{ return(adapter.dispatch('timestamp_to_epoch_seconds', 'call_tracking')(ts)) }}
{%- endmacro %}

{% macro duckdb__timestamp_to_epoch_seconds(ts) -%}
    (epoch_us({{ ts }}) / 1000000.0)
{%- endmacro %}

{#- ISO-8601 text to a UTC timestamp without time zone; null when it is not
    one. Text without an offset is taken as UTC. -#}
{% macro iso8601_to_utc_timestamp(text) -%}
    {{ return(adapter.dispatch('iso8601_to_utc_timestamp', 'call_tracking')(text)) }}
{%- endmacro %}

{% macro duckdb__iso8601_to_utc_timestamp(text) -%}
    case
        when regexp_matches({{ text }}, '^\d{4}-\d{2}-\d{2}([T ]|$)')
            then timezone('UTC', try_cast({{ text }} as timestamptz))
    end
{%- endmacro %}
