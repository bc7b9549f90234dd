{#- dbt-spark enforces a `not_null` constraint with ALTER COLUMN ... SET
    NOT NULL, which only Delta tables support. This project's Spark tables
    are parquet, so there the constraint is skipped (the contract's column
    names and types are still enforced) and a not_null data test on the
    column checks it instead. Other table formats keep dbt-spark's way. -#}
{% macro spark__alter_column_set_constraints(relation, column_dict) %}
    {%- if config.get('file_format', 'parquet') == 'delta' -%}
        {{ return(dbt_spark_alter_column_set_constraints(relation, column_dict)) }}
    {%- endif -%}
    {%- for column_name in column_dict -%}
        {%- for constraint in column_dict[column_name]['constraints'] -%}
            {{ log(
                'Spark parquet table ' ~ relation ~ ': ' ~ constraint.type
                ~ ' constraint on ' ~ column_name
                ~ ' not enforced (checked by a data test)'
            ) }}
        {%- endfor -%}
    {%- endfor -%}
{% endmacro %}

{#- dbt-spark's own version (adapters.sql), for Delta tables. -#}
{% macro dbt_spark_alter_column_set_constraints(relation, column_dict) %}
    {% for column_name in column_dict %}
        {% set constraints = column_dict[column_name]['constraints'] %}
        {% for constraint in constraints %}
            {% if constraint.type != 'not_null' %}
                {{ exceptions.warn('Invalid constraint for column ' ~ column_name ~ '. Only `not_null` is supported.') }}
            {% else %}
                {% set quoted_name = adapter.quote(column_name) if column_dict[column_name]['quote'] else column_name %}
                {% call statement() %}
                    alter table {{ relation }} change column {{ quoted_name }} set not null {{ constraint.expression or "" }};
                {% endcall %}
            {% endif %}
        {% endfor %}
    {% endfor %}
{% endmacro %}
