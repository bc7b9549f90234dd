{#- The name of a helper function of create_engine_functions, qualified
    with the target schema it is created in. -#}
{% macro engine_function(name) -%}
    {{ adapter.quote(target.schema) }}.{{ name }}
{%- endmacro %}

{#-
    PostgreSQL 15 has no `IS JSON` and no cast that returns null instead of
    raising (DuckDB's try_cast), and one bad line must never fail the
    build. So the checks that could raise run in small plpgsql functions
    that catch the error, created in the target schema at the start of each
    invocation. Only unusual input pays for the exception block where the
    common shape can be recognised first (numbers). An exception block is a
    subtransaction, which parallel workers cannot start: the functions are
    not declared parallel safe.

    They are declared volatile on purpose. PostgreSQL folds a CTE used once
    into the query that uses it, copying its expressions into every
    reference, so a parsed line referenced as fields[1], fields[2], ... was
    parsed again for each (minutes for 200k views). A CTE that calls a
    volatile function is computed once instead; call_tracking_jsonb and
    call_tracking_json (json_texts_at, json_values_at) are there for that.
-#}
{% macro postgres__create_engine_functions() -%}

create schema if not exists {{ adapter.quote(target.schema) }};

-- True when the text is JSON (jsonb can read it), false when not.
create or replace function {{ engine_function('call_tracking_is_json') }}(doc text)
returns boolean
language plpgsql volatile strict
as $body$
begin
    perform cast(doc as jsonb);
    return true;
exception when data_exception or program_limit_exceeded then
    return false;
end
$body$;

-- JSON text known to be valid, parsed (volatile: see above).
create or replace function {{ engine_function('call_tracking_jsonb') }}(doc text)
returns jsonb
language plpgsql volatile strict
as $body$
begin
    return cast(doc as jsonb);
end
$body$;

create or replace function {{ engine_function('call_tracking_json') }}(doc text)
returns json
language plpgsql volatile strict
as $body$
begin
    return cast(doc as json);
end
$body$;

-- Text shaped like a decimal number as a double, else null; beyond a
-- double's range infinity (or 0 for tiny values), as DuckDB's cast.
create or replace function {{ engine_function('call_tracking_numeric_text_to_double') }}(
    value text
)
returns double precision
language plpgsql volatile strict
as $body$
declare
    number_text text := trim(value);
begin
    -- The common shapes cannot be out of range: cast them directly.
    if number_text ~ '^[+-]?[0-9]{1,15}([.][0-9]{0,15})?$' then
        return cast(number_text as double precision);
    end if;
    if number_text !~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' then
        return null;
    end if;
    begin
        return cast(number_text as double precision);
    exception when data_exception then
        return case
            when number_text ~ '[eE]-' then 0
            when number_text like '-%' then cast('-infinity' as double precision)
            else cast('infinity' as double precision)
        end;
    end;
end
$body$;

-- Numeric text rounded half away from zero to 4 places (as a numeric
-- without trailing zeros); null when it is not a number or does not fit
-- decimal(18,4).
create or replace function {{ engine_function('call_tracking_text_to_decimal_18_4') }}(
    value text
)
returns numeric
language plpgsql volatile strict
as $body$
declare
    number_text text := trim(value);
    number numeric;
begin
    if number_text !~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' then
        return null;
    end if;
    begin
        number := round(cast(number_text as numeric), 4);
    exception when data_exception or program_limit_exceeded then
        return null;
    end;
    if abs(number) >= 100000000000000 then
        return null;
    end if;
    return trim_scale(number);
end
$body$;

-- ISO-8601 text (macro iso8601_pattern) to a UTC timestamp; no offset is
-- UTC (the function's own TimeZone setting); null when it does not parse.
create or replace function {{ engine_function('call_tracking_iso8601_to_timestamp') }}(
    value text
)
returns timestamp
language plpgsql volatile strict
set timezone to 'UTC'
as $body$
begin
    if value !~ '{{ iso8601_pattern() }}' then
        return null;
    end if;
    return cast(value as timestamp with time zone) at time zone 'UTC';
exception when data_exception then
    return null;
end
$body$;

{%- endmacro %}
