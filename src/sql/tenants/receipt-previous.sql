-- The end of the receipt chain, under a lock so that two erasures chain one after the
-- other instead of both claiming the same predecessor.
select pg_advisory_xact_lock(hashtextextended('tenantctl.erasure_receipts', 0)) is not null as locked,
       (select sequence from tenantctl.erasure_receipts order by sequence desc limit 1) as sequence,
       (select digest from tenantctl.erasure_receipts order by sequence desc limit 1) as digest
