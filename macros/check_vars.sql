{#- Every var the project reads, with what a valid value is. The one list:
    check_vars validates against it and rejects any other --vars key. -#}
{% macro var_rules() -%}
    {{ return({
        'landing_dir': {'kind': 'text'},
        'offline_id_prefixes': {'kind': 'text_list'},
        'match_window_minutes': {'kind': 'integer', 'min': 0},
        'rematch_lookback_days': {'kind': 'integer', 'min': 0},
        'min_expected_match_rate': {'kind': 'number', 'min': 0, 'max': 1},
        'min_online_calls_for_match_rate': {'kind': 'integer', 'min': 1},
        'contract_types': {'kind': 'mapping'},
        'schema_prefix': {'kind': 'schema_prefix'},
    }) }}
{%- endmacro %}

{#- The problem with one var's value, or '' when it is valid. Booleans are
    not numbers here, and 30.9 is not an integer (never truncated). -#}
{% macro var_problem(value, rule) -%}
    {%- set is_number = value is number and value is not boolean -%}
    {%- if rule.kind == 'text' -%}
        {%- if value is not string or value | trim == '' -%}
            must be a non-empty string
        {%- endif -%}
    {%- elif rule.kind == 'text_list' -%}
        {%- if value is string or value is mapping
            or value is not iterable -%}
            must be a list of non-empty strings, e.g. ['gbr0', 'clarity']
        {%- else -%}
            {%- for item in value
                if item is not string or item | trim == '' -%}
                {%- if loop.first -%}
                    must hold only non-empty strings
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- elif rule.kind == 'integer' -%}
        {%- if value is not integer or value is boolean
            or value < rule.min -%}
            must be a whole number >= {{ rule.min }}
        {%- endif -%}
    {%- elif rule.kind == 'number' -%}
        {%- if not is_number or value < rule.min or value > rule.max -%}
            must be a number from {{ rule.min }} to {{ rule.max }}
        {%- endif -%}
    {%- elif rule.kind == 'mapping' and value is not mapping -%}
        must be a mapping
    {%- elif rule.kind == 'schema_prefix' -%}
        {%- if value is not string
            or not modules.re.fullmatch('[a-z0-9_]*', value) -%}
            must be lower-case letters, digits and _ (or empty)
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- on-run-start, before anything is built: a misspelt --vars key or a bad
    value stops the build with one message naming the var. -#}
{% macro check_vars() -%}
    {%- set rules = var_rules() -%}
    {%- set problems = [] -%}
    {%- set given = invocation_args_dict.get('vars') or {} -%}
    {%- for name in given if name not in rules -%}
        {%- do problems.append(
            'unknown var ' ~ name ~ ' (known: '
            ~ rules.keys() | sort | join(', ') ~ ')'
        ) -%}
    {%- endfor -%}
    {%- for name, rule in rules.items() -%}
        {%- set value = var(name, none) -%}
        {%- set problem = var_problem(value, rule) | trim -%}
        {%- if problem -%}
            {%- do problems.append(
                'var ' ~ name ~ ' ' ~ problem ~ ', got ' ~ tojson(value)
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(problems | join('; ')) }}
    {%- endif -%}
{%- endmacro %}
