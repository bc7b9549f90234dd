{#- Spark: JSON is parsed with try_parse_json (Spark 4's VARIANT), which
    gives null, never an error, for text that is not JSON. JSON values are
    handed between macros as JSON text (as on DuckDB), so every macro takes
    text and parses it again. Duplicate object keys are allowed
    (spark.sql.variant.allowDuplicateKeys in profiles.yml). -#}

{% macro spark__valid_json_or_null(doc) -%}
    case when try_parse_json({{ doc }}) is not null then {{ doc }} end
{%- endmacro %}

{#- Spark's two-argument ltrim is ltrim(trim_chars, text), the other way
    round, so the blanks are trimmed with TRIM(LEADING ... FROM ...). -#}
{% macro spark__valid_json_object_or_null(doc) -%}
    case
        when
            substr(
                trim(leading chr(32) || chr(9) || chr(10) || chr(13) from {{ doc }}),
                1, 1
            ) = '{'
            then {{ valid_json_or_null(doc) }}
    end
{%- endmacro %}

{% macro spark__json_text(doc, path) -%}
    variant_get(try_parse_json({{ doc }}), '{{ path }}', 'string')
{%- endmacro %}

{#- schema_of_variant names ('OBJECT<...>', 'STRING', 'VOID', 'DECIMAL(2,1)',
    ...) mapped to the DuckDB names the models compare with. -#}
{% macro spark__json_type_at(doc, path) -%}
    transform(
        array(lower(regexp_extract(
            schema_of_variant(variant_get(try_parse_json({{ doc }}), '{{ path }}')),
            '^[A-Z]+', 0
        ))),
        json_type -> case json_type
            when 'string' then 'varchar'
            when 'void' then 'null'
            when 'decimal' then 'double'
            when 'float' then 'double'
            when 'tinyint' then 'bigint'
            when 'smallint' then 'bigint'
            when 'int' then 'bigint'
            else json_type
        end
    )[0]
{%- endmacro %}

{% macro spark__json_path_value(doc, path) -%}
    transform(array(try_parse_json({{ doc }})), parsed ->
        {{ spark__json_at(doc, 'parsed', path) }}
    )[0]
{%- endmacro %}

{#- The JSON text at `path` of `doc`, already parsed as `parsed`: objects
    and arrays as sent (get_json_object keeps the keys' order, which VARIANT
    sorts), other values as JSON. -#}
{% macro spark__json_at(doc, parsed, path) -%}
    case
        when substr(schema_of_variant(variant_get({{ parsed }}, '{{ path }}')), 1, 6)
            in ('OBJECT', 'ARRAY<')
            then get_json_object({{ doc }}, '{{ path }}')
        else to_json(variant_get({{ parsed }}, '{{ path }}'))
    end
{%- endmacro %}

{#- A generator (one per select): inline() over (element, position) structs.
    Anything but a JSON array gives no rows. An object or array element is
    kept as its text as sent (from_json to strings keeps the keys' order,
    which VARIANT sorts); other elements as JSON (a string stays quoted). -#}
{% macro spark__json_array_elements_with_index(array_doc, value_alias, index_alias) -%}
    inline(transform(
        arrays_zip(
            try_variant_get(try_parse_json({{ array_doc }}), '$', 'array<variant>'),
            from_json({{ array_doc }}, 'array<string>')
        ),
        (element, position) -> named_struct(
            '{{ value_alias }}', case
                when substr(schema_of_variant(element['0']), 1, 6) in ('OBJECT', 'ARRAY<')
                    then element['1']
                else to_json(element['0'])
            end,
            '{{ index_alias }}', position + 1
        )
    ))
{%- endmacro %}

{#- Spark arrays are indexed from 0 and the models index these lists from
    1, so element 0 is a null placeholder. The document is parsed once (the
    lambda binds it). -#}
{% macro spark__json_values_at(doc, paths, known_valid) -%}
    transform(array(try_parse_json({{ doc }})), parsed -> case
        when parsed is not null then array(
            cast(null as string)
            {%- for path in paths %},
            {{ spark__json_at(doc, 'parsed', path) }}
            {%- endfor %}
        )
    end)[0]
{%- endmacro %}

{% macro spark__json_texts_at(doc, paths, known_valid) -%}
    transform(array(try_parse_json({{ doc }})), parsed -> case
        when parsed is not null then array(
            cast(null as string)
            {%- for path in paths %},
            variant_get(parsed, '{{ path }}', 'string')
            {%- endfor %}
        )
    end)[0]
{%- endmacro %}
