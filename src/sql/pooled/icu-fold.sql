-- Whether lower(x COLLATE "und-x-icu") can fold text in this database: the server was built with
-- ICU (initdb then creates the und-x-icu collation) and the database's encoding is one ICU reads
-- (PostgreSQL's pg_enc2icu_tbl: every server encoding but these three). Read once per run: the
-- fold is then the same SQL for every row (src/pooled/fold.ts).
select exists (select 1 from pg_collation where collname = 'und-x-icu' and collprovider = 'i')
   and getdatabaseencoding() not in ('SQL_ASCII', 'EUC_JIS_2004', 'MULE_INTERNAL') as icu
