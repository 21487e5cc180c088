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
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, benchDatabase, median, ratio } from './lib.mjs';
import { buildSkewedImsop, timed } from './pooled-imsop-data.mjs';

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

const [{ n: existing }] = await sql`select count(*)::int as n from pg_tables where schemaname = 'public' and tablename = 'organizations'`;
const ready = existing && Number((await sql`select count(*)::int as n from organizations where name like 'Org %' and name not like '%copy%'`)[0].n) === orgs;
if (!(reuse && ready)) await buildSkewedImsop(sql, { orgs, events, perOrg, env: cliEnv });
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
