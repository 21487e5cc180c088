-- The profile recorded for this database, or null. The table may not exist yet (a database
-- tenantctl never migrated, or one migrated before profiles existed = commerce): it is read only
-- when it exists, through query_to_xml, so that presence and name are one round trip (every
-- command starts with this) and a missing table is no error in the server's log.
-- The table can also exist without its row: another first `migrate up` has created it and not
-- yet recorded (two statements). query_to_xml of no rows is '', which xpath cannot parse, so
-- the empty document reads as "no record".
select case when to_regclass('tenantctl.profile') is not null
            then (xpath('/row/name/text()', nullif(query_to_xml('select name from tenantctl.profile limit 1', false, true, '')::text, '')::xml))[1]::text
       end as name
