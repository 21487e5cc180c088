#!/usr/bin/env node
// bench/pooled-sizes: `monitor tenant-sizes` on a pooled IMSOP database with 1,000
// organizations and 10,000,000 rows (issue 16 item 2: "answers in under 1 s"), against the
// naive exact query a DBA would write: count(*) per tenant column, GROUP BY, over every
// tenant table (indirect tables joined up to their owner), summed per organization.
// Both run as a user runs them: a fresh process each (node bin/tenantctl.js, psql -c), so
// the CLI's start-up is inside its time. Each is run `repeat` times; the median is printed,
// beside `node -e 0` and `tenantctl --version` in the same rounds, so that start-up is visible.
// The data (built with generate_series, then ANALYZE): 1,000 organizations with Zipf-like
// skew (rank k gets a share ∝ 1/k^0.8) of 7,000,000 analytics events, 1,000 products, one
// warehouse, 1,000 inventory rows and 1,000 inventory transactions each (3,000,000 more):
// about 10,002,000 rows in all (per-organization counts are rounded).
// The estimate's accuracy is printed too: total rows and the largest, median and smallest
// tenant, estimated vs exact.
// Usage: npm run build && node bench/pooled-sizes.mjs [organizations=1000] [events=7000000] [repeat=3] [--reuse]
// `--reuse` keeps the database of a previous run with the same sizes (nothing is rebuilt).
// BENCH_DATABASE_URL points at a server to use; otherwise a private embedded one is started.
import { loadavg } from 'node:os';
import { BIN, ROOT, benchDatabase, median, ratio } from './lib.mjs';
import { buildSkewedImsop, timed } from './pooled-imsop-data.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const reuse = process.argv.includes('--reuse');
const orgs = Number(args[0] ?? 1000);
const events = Number(args[1] ?? 7_000_000);
const repeat = Number(args[2] ?? 3);
const perOrg = 1000;

const db = await benchDatabase('bench_pooled_sizes', { keep: reuse });
const { sql } = db;

const cliEnv = { ...process.env, DATABASE_URL: db.url, CI: 'true' };

const [{ n: existing }] = await sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename = 'organizations'`;
const ready = existing && Number((await sql`select count(*)::int as n from organizations`)[0].n) === orgs;
if (!(reuse && ready)) await buildSkewedImsop(sql, { orgs, events, perOrg, env: cliEnv });
const [{ total }] = await sql`select ((select count(*) from analytics_events) + (select count(*) from products) + (select count(*) from inventory) + (select count(*) from inventory_transactions) + (select count(*) from warehouses) + (select count(*) from users))::bigint as total`;

// What a DBA writes without tenantctl: exact counts per tenant, every tenant table, indirect ones joined to their owner.
const naive = `select organization_id, sum(n) as rows from (
  select organization_id, count(*) as n from analytics_events group by 1
  union all select organization_id, count(*) from products group by 1
  union all select organization_id, count(*) from users group by 1
  union all select organization_id, count(*) from warehouses group by 1
  union all select w.organization_id, count(*) from inventory i join warehouses w on w.id = i.warehouse_id group by 1
  union all select w.organization_id, count(*) from inventory_transactions t join inventory i on i.id = t.inventory_id join warehouses w on w.id = i.warehouse_id group by 1
) x group by 1`;

const bare = [];
const startup = [];
const ours = [];
const theirs = [];
let report;
let exactRows;
for (let i = 0; i < repeat; i++) {
  // Start-up on its own: Node with nothing to run, then the CLI doing nothing but --version.
  bare.push(timed(process.execPath, ['-e', '0'], cliEnv).seconds);
  const start = timed(process.execPath, [BIN, '--version'], cliEnv);
  startup.push(start.seconds);
  const a = timed(process.execPath, [BIN, '--profile', 'imsop', 'monitor', 'tenant-sizes', '--json'], cliEnv);
  ours.push(a.seconds);
  report = JSON.parse(a.stdout);
  const b = timed('psql', ['-X', '-q', '-A', '-t', '-F', ',', '-v', 'ON_ERROR_STOP=1', '-c', naive], db.pgEnv);
  theirs.push(b.seconds);
  exactRows = new Map(b.stdout.trim().split('\n').map((line) => line.split(',')).map(([id, n]) => [id, Number(n)]));
}
// The same estimate inside one process (no Node start-up, connection already open): the core's own cost.
const { pooledTenantSizes } = await import(`${ROOT}dist/monitor/pooled-sizes.js`);
const { imsop } = await import(`${ROOT}dist/tenancy/profiles/imsop.js`);
const inProcess = [];
for (let i = 0; i < repeat; i++) {
  const start = process.hrtime.bigint();
  await pooledTenantSizes(sql, imsop, {});
  inProcess.push(Number(process.hrtime.bigint() - start) / 1e9);
}
const ids = new Map((await sql`select id::text, name from organizations`).map((r) => [r.name, r.id]));
const compare = report.rows.map((r) => ({ tenant: r.tenant, estimated: r.rows, exact: exactRows.get(ids.get(r.tenant)) ?? 0 })).sort((a, b) => b.exact - a.exact);
const show = (c) => `${c.tenant}: estimated ${c.estimated.toLocaleString('en')} vs exact ${c.exact.toLocaleString('en')} (${((c.estimated / c.exact - 1) * 100).toFixed(1)}%)`;
const estimatedTotal = compare.reduce((s, c) => s + c.estimated, 0);
console.log(`pooled-sizes: ${orgs} organizations, ${Number(total).toLocaleString('en')} rows in the tenant tables, median of ${repeat} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
console.log(`  tenantctl --profile imsop monitor tenant-sizes --json: ${median(ours).toFixed(3)} s (runs: ${ours.map((s) => s.toFixed(3)).join(', ')}) — source ${report.source}`);
console.log(`  psql exact count(*) group by per tenant:              ${median(theirs).toFixed(3)} s (runs: ${theirs.map((s) => s.toFixed(3)).join(', ')})`);
console.log(`  start-up, same runs: node -e 0 ${median(bare).toFixed(3)} s, tenantctl --version ${median(startup).toFixed(3)} s (runs: ${startup.map((s) => s.toFixed(3)).join(', ')})`);
console.log(`  tenant-sizes beyond --version: ${(median(ours) - median(startup)).toFixed(3)} s; beyond node -e 0: ${(median(ours) - median(bare)).toFixed(3)} s`);
console.log(`  the estimate in one process (pooledTenantSizes, connection open): ${median(inProcess).toFixed(3)} s (runs: ${inProcess.map((x) => x.toFixed(3)).join(', ')})`);
console.log(`  ratio tenantctl / naive exact: ${ratio(median(ours), median(theirs))}×`);
console.log(`  estimate: total ${estimatedTotal.toLocaleString('en')} vs exact ${Number(total).toLocaleString('en')}; largest ${show(compare[0])}; median ${show(compare[Math.floor(compare.length / 2)])}; smallest ${show(compare.at(-1))}`);
console.log(`  basis shown: ${report.note}`);
await sql.end();
