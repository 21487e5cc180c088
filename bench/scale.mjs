#!/usr/bin/env node
// bench/scale: the everyday commands of issue 19 on a database of N tenant schemas of the
// platform schema (seed 004), each timed as a whole process with --json, beside its reference
// (the registry query in psql, the naive catalog query, one psql session, `node -e 0`), in one run.
// The database `bench_scale_<N>` is built once (public.tenants rows + `tenantctl migrate up`)
// and kept: a second run with --reuse measures again without rebuilding.
// Usage: npm run build && node bench/scale.mjs [tenants=1000] [concurrency=8] [--reuse]
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, ROOT, benchDatabase, psql, ratio, tenantctl, time } from './lib.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const reuse = process.argv.includes('--reuse');
const tenants = Number(args[0] ?? 1000);
const concurrency = Number(args[1] ?? 8);
const db = await benchDatabase(`bench_scale_${tenants}`, { keep: reuse });
const slugs = Array.from({ length: tenants }, (_, i) => `t${String(i).padStart(4, '0')}`);

const [{ count: present }] = await db.sql`select count(*)::int as count from pg_namespace where nspname like 'tenant\\_t%'`.catch(() => [{ count: 0 }]);
if (present < tenants) {
  console.error(`building ${tenants} tenant schemas at the platform schema…`);
  tenantctl(db.url, ['migrate', 'up', '--shared-only']);
  await db.sql`insert into public.tenants (name, slug, schema_name) select s, s, 'tenant_' || s from unnest(${slugs}::text[]) s on conflict do nothing`;
  psql(db.pgEnv, [], slugs.map((s) => `create schema if not exists tenant_${s};`).join('\n'));
  const build = time(() => tenantctl(db.url, ['migrate', 'up', '--concurrency', String(concurrency)]));
  console.error(`built in ${build.seconds.toFixed(1)} s`);
  psql(db.pgEnv, [], 'analyze');
}

/** Median wall clock of `runs` runs of a process, in seconds. */
function median(command, argv, runs = 3, env = {}) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const r = spawnSync(command, argv, { env: { ...process.env, DATABASE_URL: db.url, CI: 'true', ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    // monitor check exits with its Nagios code; anything else must succeed.
    if (r.status !== 0 && !(argv.includes('check') && r.status < 3)) throw new Error(`${command} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}
const ours = (argv, runs) => median(process.execPath, [BIN, ...argv, '--json'], runs);
const sqlRef = (text, runs) => median('psql', [db.url, '-X', '-qAt', '-o', '/dev/null', '-c', text], runs);

const naive = {
  tenantSizes: `select schemaname, sum(pg_total_relation_size(format('%I.%I', schemaname, tablename))) as total
                from pg_tables where schemaname like 'tenant\\_%' group by schemaname order by total desc limit 20`,
  tableSizes: `select schemaname, tablename, pg_total_relation_size(format('%I.%I', schemaname, tablename)) as total
               from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by total desc limit 20`,
  vacuum: `select schemaname, relname, n_dead_tup, last_autovacuum, pg_total_relation_size(relid) as size
           from pg_stat_user_tables order by n_dead_tup desc, size desc limit 20`,
  indexes: `select schemaname, relname, indexrelname, pg_relation_size(indexrelid) as size
            from pg_stat_user_indexes where idx_scan = 0 order by size desc limit 50`,
};
const registry = 'select slug, status from public.tenants order by slug limit 20';
const slow = process.argv.includes('--exact');

// Warm the catalog so neither side pays for cold reads alone.
sqlRef('select count(*) from pg_class; select count(*) from pg_index; select count(*) from pg_attribute', 1);
const rows = [
  ['node -e 0', median(process.execPath, ['-e', '0'], 9), null, null],
  ['tenantctl --version', median(process.execPath, [BIN, '--version'], 9), 'node -e 0', 'node'],
  ['tenantctl --help', median(process.execPath, [BIN, '--help'], 9), 'node -e 0', 'node'],
  ['tenant list', ours(['tenant', 'list']), registry, sqlRef(registry)],
  ['tenant list --limit 20', ours(['tenant', 'list', '--limit', '20']), registry, 'same'],
  ['tenant list --limit 20 --offset 500', ours(['tenant', 'list', '--limit', '20', '--offset', String(Math.floor(tenants / 2))]), registry, 'same'],
  ['tenant show t0042', ours(['tenant', 'show', 't0042']), registry, 'same'],
  ['monitor tenant-sizes --limit 20', ours(['monitor', 'tenant-sizes', '--limit', '20']), 'naive exact sizes per tenant schema', slow ? sqlRef(naive.tenantSizes, 1) : null],
  ['monitor table-sizes --limit 20', ours(['monitor', 'table-sizes', '--limit', '20']), 'naive pg_total_relation_size per pg_tables row', slow ? sqlRef(naive.tableSizes, 1) : null],
  ['monitor indexes', ours(['monitor', 'indexes']), 'unused indexes, pg_stat_user_indexes + pg_relation_size', sqlRef(naive.indexes, 1)],
  ['monitor vacuum', ours(['monitor', 'vacuum']), 'pg_stat_user_tables + pg_total_relation_size', sqlRef(naive.vacuum, 1)],
  ['monitor check', ours(['monitor', 'check'], 1), null, null],
  ['migrate status', ours(['migrate', 'status']), null, null],
  ['migrate up, nothing pending', ours(['migrate', 'up']), null, null],
];

// One tenant migration (a column and an index) across the fleet: one psql session vs tenantctl.
const up = 'alter table products add column bench_flag boolean;\ncreate index idx_products_bench_flag on products (bench_flag);';
const down = 'drop index idx_products_bench_flag;\nalter table products drop column bench_flag;';
const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
cpSync(`${ROOT}migrations`, dir, { recursive: true });
writeFileSync(join(dir, 'tenant', '9000_bench_flag.sql'), `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`);
const schemas = (await db.sql`select schema_name from public.tenants order by slug`).map((r) => r.schema_name);
const perSchema = (body) => schemas.map((s) => `begin;\nset local search_path to ${s}, public;\n${body}\ncommit;`).join('\n');
const session = time(() => psql(db.pgEnv, [], perSchema(up)));
psql(db.pgEnv, [], perSchema(down));
const fleet = time(() => tenantctl(db.url, ['migrate', 'up', '--migrations-dir', dir, '--concurrency', String(concurrency), '--json']));
const applied = JSON.parse(fleet.result).summary.applied;
if (applied < tenants) throw new Error(`expected ${tenants} applied, got ${applied}`);
tenantctl(db.url, ['migrate', 'down', '--migrations-dir', dir, '--tenants-only', '--yes']);
rows.push(['migrate up, one migration on every tenant', fleet.seconds, 'one psql session, a transaction per schema', session.seconds]);

// Provisioning from the warm pool: createTenant() in-process, one tenant at a time, with a
// ready spare and without (the whole tenant migration), then the CLI from the pool.
const { createTenant } = await import('../dist/tenants/create.js');
const creates = 10;
tenantctl(db.url, ['tenant', 'pool', 'fill', '--size', String(creates * 2 + 3)]);
const run = Date.now().toString(36);
const input = (slug) => ({ slug, name: slug, plan: 'starter', ownerEmail: `owner@${slug}.test` });
const inProcess = async (prefix, usePool) => {
  const times = [];
  for (let i = 0; i < creates; i += 1) {
    const started = performance.now();
    const t = await createTenant(db.sql, input(`${prefix}${run}${i}`), { usePool });
    times.push((performance.now() - started) / 1000);
    if (t.fromPool !== usePool) throw new Error(`expected fromPool ${usePool}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(creates / 2)];
};
await inProcess('warm', true); // connections and migration files loaded once, as in a server
const withPool = await inProcess('pool', true);
const without = await inProcess('built', false);
rows.push(['createTenant() in-process, from the pool', withPool, 'createTenant() without the pool', without]);
const cliCreate = median(process.execPath, [BIN, 'tenant', 'create', `cli${run}`, '--name', 'Cli', '--plan', 'starter', '--owner-email', 'o@cli.test', '--json'], 1);
rows.push(['tenant create (CLI), from the pool', cliCreate, 'tenantctl --version', rows[1][1]]);
// Leave the database as built: the tenants just made go (rows cascade to their subscriptions), schemas too.
await db.sql`delete from public.audit_logs where tenant_id in (select id from public.tenants where slug ~ ${`^(warm|pool|built|cli)${run}`})`;
const made = await db.sql`delete from public.tenants where slug ~ ${`^(warm|pool|built|cli)${run}`} returning schema_name`;
psql(db.pgEnv, [], `set client_min_messages to warning;\n${made.map((m) => `drop schema ${m.schema_name} cascade;`).join("\n")}`);
await db.sql.end();

const [facts] = [spawnSync('psql', [db.url, '-X', '-qAt', '-c', "select (select count(*) from public.tenants) || ' tenants, ' || (select count(*) from pg_class) || ' relations, PostgreSQL ' || current_setting('server_version')"], { encoding: 'utf8' }).stdout.trim()];
const fmt = (s) => (s >= 1 ? `${s.toFixed(2)} s` : `${Math.round(s * 1000)} ms`);
console.log(`scale: ${facts}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| command | time | reference | time | ratio |');
console.log('| --- | ---: | --- | ---: | ---: |');
let last = null;
for (const [name, seconds, what, ref] of rows) {
  const theirs = ref === 'node' ? rows[0][1] : ref === 'same' ? last : ref;
  if (typeof ref === 'number') last = ref;
  console.log(`| ${name} | ${fmt(seconds)} | ${what ?? '—'} | ${theirs == null ? '—' : fmt(theirs)} | ${theirs == null ? '—' : `${ratio(seconds, theirs)}×`} |`);
}
console.log('\ntenantctl times are medians of whole processes with --json (3 runs; 9 for start-up); psql likewise.');
