{#- JSON access, dispatched per engine. `doc` is JSON text (a varchar). -#}

{#- `doc` when it is valid JSON, else null: JSON functions raise errors on
    invalid input, so guard every bad line with this before using them. -#}
{% macro valid_json_or_null(doc) -%}
    {{ return(adapter.dispatch('valid_json_or_null', 'call_tracking')(doc)) }}
{%- endmacro %}

{% macro duckdb__valid_json_or_null(doc) -%}
    case when json_valid({{ doc }}) then {{ doc }} end
{%- endmacro %}

{#- `doc` when it is a valid JSON object, else null: valid JSON whose
    first non-blank character is a brace is an object, so one parse does. -#}
{% macro valid_json_object_or_null(doc) -%}
    {{ return(adapter.dispatch('valid_json_object_or_null')(doc)) }}
{%- endmacro %}

{% macro default__valid_json_object_or_null(doc) -%}
    case
        when
            substr(ltrim({{ doc }}, chr(32) || chr(9) || chr(10) || chr(13)), 1, 1)
            = '{'
            then {{ valid_json_or_null(doc) }}
    end
{%- endmacro %}

{#- The value at `path` as text: strings unquoted, numbers as written,
    objects and arrays as JSON text, JSON null as SQL null. -#}
{% macro json_text(doc, path) -%}
    {{ return(adapter.dispatch('json_text', 'call_tracking')(doc, path)) }}
{%- endmacro %}

{% macro duckdb__json_text(doc, path) -%}
    json_extract_string({{ doc }}, '{{ path }}')
{%- endmacro %}

{#- The JSON type name at `path`, lower case ('object', 'array', 'varchar',
    'bigint', 'ubigint', 'double', 'boolean', 'null'); SQL null if absent. -#}
{% macro json_type_at(doc, path) -%}
    {{ return(adapter.dispatch('json_type_at', 'call_tracking')(doc, path)) }}
{%- endmacro %}

{% macro duckdb__json_type_at(doc, path) -%}
    lower(json_type({{ doc }}, '{{ path }}'))
{%- endmacro %}

{#- The JSON value at `path` (as JSON text), SQL null if absent. -#}
{% macro json_path_value(doc, path) -%}
    {{ return(adapter.dispatch('json_path_value', 'call_tracking')(doc, path)) }}
{%- endmacro %}

{% macro duckdb__json_path_value(doc, path) -%}
    json_extract({{ doc }}, '{{ path }}')
{%- endmacro %}

{#- Select-list items that turn each row into one row per element of the
    JSON array `array_doc`: the element as JSON (`value_alias`) and its
    position from 1 (`index_alias`). An empty array gives no rows. -#}
{% macro json_array_elements_with_index(array_doc, value_alias, index_alias) -%}
    {{ return(adapter.dispatch('json_array_elements_with_index', 'call_tracking')(
        array_doc, value_alias, index_alias
    )) }}
{%- endmacro %}

{% macro duckdb__json_array_elements_with_index(array_doc, value_alias, index_alias) -%}
    unnest(cast({{ array_doc }} as json [])) as {{ value_alias }},
    generate_subscripts(cast({{ array_doc }} as json []), 1) as {{ index_alias }}
{%- endmacro %}

{#- The JSON values at several paths of `doc`, parsed once, as a list
    (index from 1) of JSON values; null when `doc` is not valid JSON. -#}
{% macro json_values_at(doc, paths, known_valid=false) -%}
    {{ return(adapter.dispatch('json_values_at', 'call_tracking')(
        doc, paths, known_valid
    )) }}
{%- endmacro %}

{% macro duckdb__json_values_at(doc, paths, known_valid) -%}
    json_extract({{ doc if known_valid else valid_json_or_null(doc) }}, [
        {%- for path in paths %}'{{ path }}'{{ ', ' if not loop.last }}{% endfor -%}
    ])
{%- endmacro %}

{#- A JSON string value as non-empty text; null for any other JSON. -#}
{% macro json_string_at(value) -%}
    case
        when {{ json_type_at(value, '$') }} = 'varchar'
            then nullif({{ json_text(value, '$') }}, '')
    end
{%- endmacro %}

{#- `text`, already extracted from `doc` at `path` as json_text, when the
    value there is a string or number; null for anything else, and for an
    empty string unless `empty_as_null` is false (ids: empty is absent; a
    url is kept as sent). Only text that could be an object, array or
    boolean is checked again against `doc`, so the common case costs no
    second parse. -#}
{% macro json_scalar_or_null(text, doc, path, empty_as_null=true) -%}
    case
        {% if empty_as_null -%}
        when {{ text }} = '' then null
        {% endif -%}
        when
            substr({{ text }}, 1, 1) in ('{', '[')
            or {{ text }} in ('true', 'false')
            then case
                when {{ json_type_at(doc, path) }}
                    in ('varchar', 'bigint', 'ubigint', 'double', 'hugeint')
                    then {{ text }}
            end
        else {{ text }}
    end
{%- endmacro %}

{#- The values at several paths of `doc`, parsed once, as a list (index
    from 1) of text as json_text gives it; null when `doc` is not valid
    JSON. `known_valid` skips that check for JSON that was parsed already. -#}
{% macro json_texts_at(doc, paths, known_valid=false) -%}
    {{ return(adapter.dispatch('json_texts_at', 'call_tracking')(
        doc, paths, known_valid
    )) }}
{%- endmacro %}

{% macro duckdb__json_texts_at(doc, paths, known_valid) -%}
    json_extract_string({{ doc if known_valid else valid_json_or_null(doc) }}, [
        {%- for path in paths %}'{{ path }}'{{ ', ' if not loop.last }}{% endfor -%}
    ])
{%- endmacro %}
