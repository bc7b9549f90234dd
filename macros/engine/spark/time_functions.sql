{% macro spark__epoch_seconds_to_timestamp(seconds) -%}
    timestamp_micros(cast(round({{ seconds }} * 1000000) as bigint))
{%- endmacro %}

{% macro spark__timestamp_to_epoch_seconds(ts) -%}
    (cast(unix_micros({{ ts }}) as double) / 1000000)
{%- endmacro %}

{#- try_cast: null, never an error, for text that is not a timestamp; text
    with an offset is converted to UTC (the session time zone is UTC). -#}
{% macro spark__iso8601_to_utc_timestamp(text) -%}
    case
        when {{ text }} rlike '{{ iso8601_pattern() }}'
            then try_cast({{ text }} as timestamp)
    end
{%- endmacro %}

{% macro spark__seconds_between(start_ts, end_ts) -%}
    (cast(unix_micros({{ end_ts }}) - unix_micros({{ start_ts }}) as double) / 1000000)
{%- endmacro %}
