select oid::bigint as oid, datname as name from pg_database where datname = current_database()
