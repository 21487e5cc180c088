#!/usr/bin/env node
// bench/migrate-fleet: 1,000 tenant schemas of the platform schema, one new tenant migration
// (a column and an index). In one run: (a) psql started once per schema, (b) one psql session
// running every schema in its own transaction (the sequential limit), (c) tenantctl migrate up.
// Then `migrate up` with nothing pending and `migrate status`.
// Usage: npm run build && node bench/migrate-fleet.mjs [tenants=1000] [concurrency=8]
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, benchDatabase, psql, ratio, tenantctl, time } from './lib.mjs';

const tenants = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 8);
const db = await benchDatabase('bench_migrate_fleet');
const slugs = Array.from({ length: tenants }, (_, i) => `t${String(i).padStart(4, '0')}`);

console.error(`building ${tenants} tenant schemas at the platform schema…`);
tenantctl(db.url, ['migrate', 'up', '--shared-only']);
await db.sql`insert into public.tenants (name, slug, schema_name) select s, s, 'tenant_' || s from unnest(${slugs}::text[]) s`;
psql(db.pgEnv, [], slugs.map((s) => `create schema tenant_${s};`).join('\n'));
const build = time(() => tenantctl(db.url, ['migrate', 'up', '--concurrency', String(concurrency)]));
console.error(`built in ${build.seconds.toFixed(1)} s`);

const up = 'alter table products add column bench_flag boolean;\ncreate index idx_products_bench_flag on products (bench_flag);';
const down = 'drop index idx_products_bench_flag;\nalter table products drop column bench_flag;';
const dir = mkdtempSync(join(tmpdir(), 'bench-migrations-'));
cpSync(`${ROOT}migrations`, dir, { recursive: true });
writeFileSync(join(dir, 'tenant', '9000_bench_flag.sql'), `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`);
const perSchema = (body) => slugs.map((s) => `begin;\nset local search_path to tenant_${s}, public;\n${body}\ncommit;`).join('\n');
const revert = () => psql(db.pgEnv, [], perSchema(down));

const loop = time(() => {
  for (const s of slugs) psql(db.pgEnv, ['-c', `begin; set local search_path to tenant_${s}, public; ${up.replace(/\n/g, ' ')} commit;`]);
});
revert();
const session = time(() => psql(db.pgEnv, [], perSchema(up)));
revert();
const ours = time(() => tenantctl(db.url, ['migrate', 'up', '--migrations-dir', dir, '--concurrency', String(concurrency), '--json']));
const summary = JSON.parse(ours.result).summary;
if (summary.applied !== tenants) throw new Error(`expected ${tenants} applied, got ${JSON.stringify(summary)}`);
const idle = time(() => tenantctl(db.url, ['migrate', 'up', '--migrations-dir', dir]));
const status = time(() => tenantctl(db.url, ['migrate', 'status', '--migrations-dir', dir, '--json']));
await db.sql.end();

const rows = [
  ['(a) psql once per schema', loop.seconds],
  ['(b) one psql session, a transaction per schema', session.seconds],
  [`(c) tenantctl migrate up --concurrency ${concurrency}`, ours.seconds],
  ['tenantctl migrate up, nothing pending', idle.seconds],
  ['tenantctl migrate status', status.seconds],
];
console.log(`migrate-fleet: ${tenants} tenant schemas, one migration (add column + index)`);
for (const [label, s] of rows) console.log(`  ${label.padEnd(50)} ${s.toFixed(2)} s`);
console.log(`  ratio tenantctl / (b) one psql session: ${ratio(ours.seconds, session.seconds)}x (target <= 1.0)`);
console.log(`  ratio tenantctl / (a) psql per schema:  ${ratio(ours.seconds, loop.seconds)}x`);
console.log(`  nothing pending ${idle.seconds.toFixed(2)} s, status ${status.seconds.toFixed(2)} s (target < 0.5 s each)`);
