-- Forget every statement's statistics (pg_stat_statements before 1.7 has no arguments).
select pg_stat_statements_reset() as reset
