{#- PostgreSQL JSON access (see macros/engine/json_functions.sql).

    PostgreSQL 15 has no `IS JSON` (that is 16) and no non-raising cast, so
    validity is checked by call_tracking_is_json(), a plpgsql function that
    parses with jsonb and catches the error (created by the on-run-start
    hook, create_engine_functions). Values keep the `json` type, which
    keeps each value's text as sent (so a rejected event's raw text is the
    event as it came); several fields at once are read from one jsonb
    parse. jsonb cannot hold \u0000, so JSON with that escape is invalid
    here (on DuckDB it is valid). -#}

{#- A JSONPath of the project ('$', '$.meta.ts') as a PostgreSQL path
    literal ('{}', '{meta,ts}'). -#}
{% macro postgres_json_path(path) -%}
    {%- set keys = path.split('.')[1:] -%}
    '{{ '{' ~ keys | join(',') ~ '}' }}'
{%- endmacro %}

{% macro postgres__valid_json_or_null(doc) -%}
    case when {{ engine_function('call_tracking_is_json') }}({{ doc }}) then {{ doc }} end
{%- endmacro %}

{% macro postgres__json_text(doc, path) -%}
    (cast({{ doc }} as jsonb) #>> {{ postgres_json_path(path) }})
{%- endmacro %}

{#- json_typeof names, spelt as DuckDB's json_type: 'string' is 'varchar',
    'number' is 'double'. -#}
{% macro postgres__json_type_at(doc, path) -%}
    replace(replace(
        json_typeof(cast({{ doc }} as json) #> {{ postgres_json_path(path) }}),
        'string', 'varchar'), 'number', 'double')
{%- endmacro %}

{% macro postgres__json_path_value(doc, path) -%}
    (cast({{ doc }} as json) #> {{ postgres_json_path(path) }})
{%- endmacro %}

{#- Two set-returning functions in one select list run in lockstep: each
    element beside its position. The element's text loses the blanks
    between tokens (not those in strings), as DuckDB's elements do, so a
    rejected event's raw text reads the same on both (DuckDB also rewrites
    numbers and escapes; those stay as sent here). -#}
{% macro postgres__json_array_elements_with_index(array_doc, value_alias, index_alias) -%}
    cast(regexp_replace(
        cast(json_array_elements(cast({{ array_doc }} as json)) as text),
        '("(?:[^"\\]|\\.)*")|\s+', '\1', 'g'
    ) as json) as {{ value_alias }},
    generate_series(1, json_array_length(cast({{ array_doc }} as json)))
        as {{ index_alias }}
{%- endmacro %}

{#- An array of json values, null when the document is null (see
    postgres_values_at_once). -#}
{% macro postgres__json_values_at(doc, paths, known_valid) -%}
    {{ postgres_values_at_once(doc, paths, known_valid, 'call_tracking_json', '#>') }}
{%- endmacro %}

{#- An array of text, from one jsonb parse of the document (see
    postgres_values_at_once); null when the document is null. -#}
{% macro postgres__json_texts_at(doc, paths, known_valid) -%}
    {{ postgres_values_at_once(doc, paths, known_valid, 'call_tracking_jsonb', '#>>') }}
{%- endmacro %}

{#- The values at `paths` of the document parsed once by `parse_function`,
    taken with `operator` (#> for json, #>> for text). The document is
    computed once (the offset 0 keeps the planner from copying it into each
    element) by a volatile function, so that the CTE holding the array is
    computed once too (see create_engine_functions). -#}
{% macro postgres_values_at_once(doc, paths, known_valid, parse_function, operator) -%}
    (
        select case when parsed.doc is not null then array[
            {%- for path in paths %}
            parsed.doc {{ operator }} {{ postgres_json_path(path) }}{{ ',' if not loop.last }}
            {%- endfor %}
        ] end
        from (
            select {{ engine_function(parse_function) }}(
                cast({{ doc if known_valid else valid_json_or_null(doc) }} as text)
            ) as doc
            offset 0
        ) as parsed
    )
{%- endmacro %}
