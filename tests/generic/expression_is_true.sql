{#- Fails for each row where `expression` is not true (as
    dbt_utils.expression_is_true); `where` narrows the rows checked. -#}
{% test expression_is_true(model, expression, column_name=none) %}

    select *
    from {{ model }}
    where not coalesce(
        {%- if column_name %} {{ column_name }} {% endif %} {{ expression }}, false
    )

{% endtest %}
