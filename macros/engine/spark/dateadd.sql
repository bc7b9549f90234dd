{#- dbt-spark's dateadd goes through to_unix_timestamp (whole seconds) and
    fails on a null timestamp; the match window is to the millisecond and
    min() over no rows is null, so Spark's timestampadd is used instead. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}
