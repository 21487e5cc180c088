#!/usr/bin/env bash
# Build the benchmark database for bench/monitor.mjs: the platform schema (shared) plus
# N tenant schemas (default 1,000), through the real migration engine. Idempotent: run it
# again to add missing tenants. Usage: DATABASE_URL=... bench/monitor-fleet.sh [N]
set -euo pipefail
N="${1:-1000}"
cd "$(dirname "$0")/.."
CLI="node bin/tenantctl.js"
: "${DATABASE_URL:?set DATABASE_URL to the benchmark database}"
$CLI migrate up --shared-only >/dev/null
# Tenant rows and empty schemas in one statement; migrate up then fills every schema.
psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -v n="$N" <<'SQL'
insert into public.tenants (name, slug, schema_name)
select 'Tenant ' || g, 'bench' || lpad(g::text, 5, '0'), 'tenant_bench' || lpad(g::text, 5, '0')
from generate_series(1, :n) g
on conflict do nothing;
select format('create schema if not exists %I', schema_name) from public.tenants \gexec
SQL
time $CLI migrate up --concurrency 4
psql "$DATABASE_URL" -qAt -c "select count(*) || ' tenants, ' || (select count(*) from pg_class) || ' relations' from public.tenants"
