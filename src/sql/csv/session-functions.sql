-- Session helpers for CSV import, created in pg_temp (private to the connection, gone
-- when it closes). Run before validation; "or replace" keeps reruns on a pooled
-- connection harmless.

-- The error text of PostgreSQL's own input function for a value, or NULL when it is
-- valid. One subtransaction per call: only used on a column whose bulk probe failed.
create or replace function pg_temp.tenantctl_cast_error(value text, type_name text) returns text
language plpgsql as $$
begin
  if value is null then
    return null;
  end if;
  if type_name = 'jsonb' then
    perform value::jsonb;
  elsif type_name = 'timestamptz' then
    perform btrim(value)::timestamptz;
  elsif type_name = 'date' then
    perform btrim(value)::date;
  elsif type_name = 'text[]' then
    perform value::text[];
  end if;
  return null;
exception when others then
  return sqlerrm;
end
$$;

-- Masking of personal data on export: the pattern is the output, each # showing the
-- value's character at that position (or * when the value is shorter), every other
-- pattern character shown as written. The output has the pattern's length, so the
-- length of the original is not revealed either.
create or replace function pg_temp.tenantctl_mask(value text, pattern text) returns text
language sql immutable as $$
  select case when value is null then null else (
    select string_agg(case when substr(pattern, i, 1) = '#' then coalesce(nullif(substr(value, i, 1), ''), '*')
                           else substr(pattern, i, 1) end, '' order by i)
    from generate_series(1, length(pattern)) as i)
  end
$$;

-- export --excel-safe: a cell that a spreadsheet would run as a formula (it starts with
-- =, +, -, @, a tab or a carriage return: OWASP's CSV injection list) gets a leading
-- single quote, which spreadsheets show as text and do not evaluate. ascii() of the first
-- character, not a regular expression: it runs on every text cell of the export.
create or replace function pg_temp.tenantctl_excel_safe(value text) returns text
language sql immutable as $$
  select case when ascii(value) in (9, 13, 43, 45, 61, 64) then '''' || value else value end
$$;

-- A natural key without a unique constraint (ABParts orders) that names two of the
-- tenant's rows, or a row that exists in insert mode: raised as a unique violation, so
-- that the import goes on as after any key conflict and names the lines concerned.
create or replace function pg_temp.tenantctl_key_conflict(table_name text) returns void
language plpgsql as $$
begin
  raise exception 'a natural key of the file matches more than one row of %, or (insert mode) an existing one', table_name
    using errcode = 'unique_violation';
end
$$;
