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

{#- The shape of an ISO-8601 date or date-time, checked in full before an
    engine's lenient cast (which would take '10:00:05 PST' or a trailing
    space): a date, then optionally 'T' or ' ', hh:mm[:ss[.fraction]] and
    'Z' or an offset (+hh, +hhmm, +hh:mm). [0-9], not \d, reads the same in
    every engine's string literals. -#}
{% macro iso8601_pattern() -%}
    ^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$
{%- endmacro %}

{% macro duckdb__iso8601_to_utc_timestamp(text) -%}
    case
        when regexp_matches({{ text }}, '{{ iso8601_pattern() }}')
            then timezone('UTC', try_cast({{ text }} as timestamptz))
    end
{%- endmacro %}
