-- Which cluster and database this is: the system identifier (unique per initdb, kept by
-- physical replicas) tells two servers' databases of the same name apart. Backups record
-- it, and prune only ever deletes backups of the connected database.
-- pg_control_system() is for superusers and pg_monitor members: the caller treats an error as "unknown".
select system_identifier::text as system_identifier from pg_control_system()
