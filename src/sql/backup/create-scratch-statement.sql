-- The CREATE DATABASE statement of a scratch database named $1 that a restore of the current
-- database goes into: from template0, with the current database's encoding and locale. Text
-- of a LATIN1 or SQL_ASCII database restored into a UTF8 one is converted (its checksums
-- differ) or refused (bytes invalid in UTF8), and another collation orders and compares
-- text differently. The statement is composed here, quoted by format() (%I, %L): CREATE
-- DATABASE takes no parameters, and locale names hold dots that an identifier helper would
-- split. The locale provider columns exist only on newer servers (datlocprovider and
-- daticulocale since 15, daticurules since 16, daticulocale renamed datlocale in 17 for ICU
-- and the builtin provider), so they are read through to_jsonb: NULL where there is none.
-- ICU rules are appended only when there are some: format()'s %L writes a NULL as the bare
-- word NULL (so `icu_rules NULL`, a syntax error, and no clause at all before 16), where
-- quote_literal() stays NULL and the coalesce drops the clause.
with d as (
    select pg_encoding_to_char(encoding) as encoding, datcollate, datctype,
           to_jsonb(pg_database) ->> 'datlocprovider' as provider,
           coalesce(to_jsonb(pg_database) ->> 'datlocale', to_jsonb(pg_database) ->> 'daticulocale') as locale,
           to_jsonb(pg_database) ->> 'daticurules' as icu_rules
    from pg_database
    where datname = current_database()
)
select format('create database %I template template0 encoding %L lc_collate %L lc_ctype %L', $1::text, encoding, datcollate, datctype)
       || case provider
            when 'c' then ' locale_provider libc'
            when 'i' then format(' locale_provider icu icu_locale %L', locale) || coalesce(' icu_rules ' || quote_literal(icu_rules), '')
            when 'b' then format(' locale_provider builtin builtin_locale %L', locale)
            else ''
          end as statement
from d
