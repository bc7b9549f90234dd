{#-
    Spark: the SQL settings the models rely on hold in the session dbt runs
    in (profiles.yml, server_side_parameters). A Thrift server ignores
    settings it is not handed the right way and keeps its own defaults, so
    a build could otherwise run with the server's time zone or with
    backslashes as escapes. Returns one row per setting that does not hold.
-#}
{{ config(enabled=target.type == 'spark') }}

with

checks as (

    select
        'spark.sql.session.timeZone is UTC' as setting,
        current_timezone() = 'UTC' as holds
    union all
    select
        'spark.sql.parser.escapedStringLiterals: a backslash is literal',
        length('\.') = 2
    union all
    select
        'spark.sql.variant.allowDuplicateKeys: a repeated key is valid JSON',
        try_parse_json('{"a": 1, "a": 2}') is not null
    union all
    select
        -- Not a bad cast: under ANSI that fails the query instead of a row.
        'spark.sql.ansi.enabled is false: size(null) is -1, not null',
        coalesce(size(cast(null as array<int>)) = -1, false)

)

select * from checks
where not holds
