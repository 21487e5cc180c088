#!/usr/bin/env node
// bench/pooled-restore: `backup restore-tenant --tenant <org>` on a pooled IMSOP database of
// 1,000 organizations (issue 16 item 3), against what restoring one organization costs with
// the standard tool: pg_restore of the whole archive into an empty database (the one-tenant
// restore POOLED.md §8 says pg_restore cannot do: no `-n` for rows). Optionally against an
// older tenantctl build too (`--old-bin <path to bin/tenantctl.js>`), which restored the whole
// pooled schema into scratch first.
// Each restore brings one mid-sized organization back as a copy next to the living original
// (`--as`, a new name per run), so runs do not collide; the copies are erased afterwards.
// Peak memory is not measured here: run one restore under GNU time (`/usr/bin/time -f %M`), as
// BENCHMARKS.md shows.
// The data (generate_series, then ANALYZE): `organizations` organizations with Zipf-like skew
// (rank k gets a share ∝ 1/k^0.8) of `events` analytics events, and per organization one user,
// one warehouse, `perOrg` products, inventory rows and inventory transactions.
// Usage: npm run build && node bench/pooled-restore.mjs [organizations=1000] [events=2000000] [perOrg=300] [repeat=3] [--reuse] [--old-bin <path>]
// BENCH_DATABASE_URL points at a server to use; otherwise a private embedded one is started.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, benchDatabase, ratio } from './lib.mjs';

const argv = process.argv.slice(2);
const oldAt = argv.indexOf('--old-bin');
const oldBin = oldAt >= 0 ? argv[oldAt + 1] : undefined;
const args = argv.filter((a, i) => !a.startsWith('--') && (oldAt < 0 || i !== oldAt + 1));
const reuse = argv.includes('--reuse');
const orgs = Number(args[0] ?? 1000);
const events = Number(args[1] ?? 2_000_000);
const perOrg = Number(args[2] ?? 300);
const repeat = Number(args[3] ?? 3);

const db = await benchDatabase('bench_pooled_restore', { keep: reuse });
const { sql } = db;
const cliEnv = { ...process.env, DATABASE_URL: db.url, CI: 'true' };

/** Wall-clock seconds of a child process run to completion. */
function timed(command, argv, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, argv, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return { seconds, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function build() {
  console.error(`building: ${orgs} organizations, ${events} analytics events (skewed), ${perOrg} products / inventory rows / transactions each …`);
  timed(process.execPath, [BIN, '--profile', 'imsop', 'migrate', 'up'], cliEnv);
  await sql`insert into organizations (name, created_at) select 'Org ' || lpad(g::text, 5, '0'), '2025-01-01' from generate_series(1, ${orgs}) g`;
  await sql`insert into warehouses (organization_id, name) select id, 'Main' from organizations`;
  await sql`insert into users (organization_id, email, password_hash) select id, 'admin@' || replace(lower(name), ' ', '-') || '.test', 'x' from organizations`;
  await sql`insert into products (organization_id, sku, name) select o.id, 'SKU-' || g, 'Product ' || g from organizations o cross join generate_series(1, ${perOrg}) g`;
  await sql`insert into inventory (warehouse_id, product_id, quantity_on_hand) select w.id, p.id, 10 from warehouses w join products p on p.organization_id = w.organization_id`;
  await sql`insert into inventory_transactions (inventory_id, transaction_type, quantity) select id, 'receipt', 10 from inventory`;
  await sql`
    with ranked as (select id, row_number() over (order by name) as k from organizations),
         weights as (select id, k, 1 / power(k, 0.8) as w from ranked),
         counts as (select id, greatest(1, round(${events} * w / sum(w) over ()))::int as n from weights)
    insert into analytics_events (organization_id, event_type, entity_type, entity_id, created_at)
    select c.id, 'page_view', 'product', g::text, timestamp '2024-01-01' + g * interval '1 second'
    from counts c cross join lateral generate_series(1, c.n) g`;
  await sql`vacuum analyze`;
}

const [{ n: existing }] = await sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename = 'organizations'`;
const ready = existing && Number((await sql`select count(*)::int as n from organizations where name like 'Org %' and name not like '%copy%'`)[0].n) === orgs;
if (!(reuse && ready)) await build();
const [{ total }] = await sql`select ((select count(*) from analytics_events) + (select count(*) from products) + (select count(*) from inventory) + (select count(*) from inventory_transactions) + (select count(*) from warehouses) + (select count(*) from users) + (select count(*) from organizations))::bigint as total`;
const [{ bytes }] = await sql`select pg_database_size(current_database())::bigint as bytes`;

const work = mkdtempSync(join(tmpdir(), 'tenantctl-bench-restore-'));
try {
  const backup = join(work, 'b1');
  const created = timed(process.execPath, [BIN, 'backup', 'create', '--out', backup, '--json'], cliEnv);
  const manifest = JSON.parse(created.stdout);
  // The organization in the middle of the skew: an ordinary tenant, not the biggest.
  const org = `Org ${String(Math.ceil(orgs / 2)).padStart(5, '0')}`;
  const [{ id: orgId }] = await sql`select id::text from organizations where name = ${org}`;
  const [{ n: orgRows }] = await sql`select ((select count(*) from analytics_events where organization_id = ${orgId}) + (select count(*) from products where organization_id = ${orgId})
    + 2 * (select count(*) from inventory i join warehouses w on w.id = i.warehouse_id where w.organization_id = ${orgId}) + 3)::bigint as n`;

  const run = (bin, label) => {
    const times = [];
    for (let i = 0; i < repeat; i++) {
      const as = `${org} ${label} copy ${i}`;
      const r = timed(process.execPath, [bin, 'backup', 'restore-tenant', backup, '--tenant', org, '--as', as, '--json'], cliEnv);
      times.push(r.seconds);
      const copy = JSON.parse(r.stdout).targetId;
      timed(process.execPath, [BIN, 'tenant', 'erase', copy, '--yes', '--confirm', copy, '--reason', 'bench'], cliEnv);
    }
    return times;
  };
  const ours = run(BIN, 'new');
  const old = oldBin ? run(oldBin, 'old') : undefined;

  // The standard tool: the whole archive into an empty database, one job (as restore-tenant's scratch did), then a count.
  const theirs = [];
  for (let i = 0; i < repeat; i++) {
    const name = `bench_pooled_restore_whole_${i}`;
    await sql`drop database if exists ${sql(name)} with (force)`;
    await sql`create database ${sql(name)} template template0`;
    const env = { ...db.pgEnv, PGDATABASE: name };
    const start = process.hrtime.bigint();
    timed('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '-d', name, join(backup, manifest.chunks?.[0]?.path ?? 'chunks/chunk-000')], env);
    theirs.push(Number(process.hrtime.bigint() - start) / 1e9);
    await sql`drop database ${sql(name)} with (force)`;
  }

  console.log(`pooled-restore: ${orgs} organizations, ${Number(total).toLocaleString('en')} rows (${(Number(bytes) / 2 ** 20).toFixed(0)} MiB database), restoring ${org} (${Number(orgRows).toLocaleString('en')} rows), median of ${repeat} (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`  tenantctl backup restore-tenant --tenant '${org}' --as …:  ${median(ours).toFixed(2)} s (runs: ${ours.map((s) => s.toFixed(2)).join(', ')})`);
  if (old) console.log(`  the same with ${oldBin}:  ${median(old).toFixed(2)} s (runs: ${old.map((s) => s.toFixed(2)).join(', ')})`);
  console.log(`  pg_restore of the whole archive into an empty database:  ${median(theirs).toFixed(2)} s (runs: ${theirs.map((s) => s.toFixed(2)).join(', ')})`);
  console.log(`  ratio restore-tenant / whole pg_restore: ${ratio(median(ours), median(theirs))}×${old ? `; old restore-tenant / whole pg_restore: ${ratio(median(old), median(theirs))}×; new / old: ${ratio(median(ours), median(old))}×` : ''}`);
} finally {
  rmSync(work, { recursive: true, force: true });
  await sql.end();
}
