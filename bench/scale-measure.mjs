// bench/scale-measure: one measurement run of bench/scale on a built fleet: each command of issue
// 19 as a whole process with --json against its reference, one tenant migration across the fleet
// against one psql session and against the DDL alone side by side, provisioning from the warm pool, and the erasure of one
// tenant. Ratios within one run are what count on a shared machine.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { BIN, ROOT, median, psql, psqlInBackground, ratio, tenantctl, time } from './lib.mjs';
import { slugsOf } from './scale-build.mjs';

/** Wall clock of a process, median of `runs` runs (start-up: 9); one run only when the first took over 20 s. */
function timer(url, defaultRuns = 3) {
  return (command, argv, runs = defaultRuns) => {
    const times = [];
    for (let i = 0; i < runs && !(times[0] > 20); i += 1) {
      const start = process.hrtime.bigint();
      const r = spawnSync(command, argv, { env: { ...process.env, DATABASE_URL: url, CI: 'true' }, encoding: 'utf8', maxBuffer: 1 << 28 });
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
      // monitor check exits with its Nagios code; anything else must succeed.
      if (r.status !== 0 && !(argv.includes('check') && r.status < 3)) throw new Error(`${command} ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
    return median(times);
  };
}

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

/** Each everyday command against its reference: [name, seconds, reference, its seconds | 'node' | 'version' | 'same' | null]. */
function commands(url, tenants, exact, runs) {
  const median = timer(url, runs);
  const ours = (argv, runs) => median(process.execPath, [BIN, ...argv, '--json'], runs);
  const sqlRef = (text, runs) => median('psql', [url, '-X', '-qAt', '-o', '/dev/null', '-c', text], runs);
  // Warm the catalog so neither side pays for cold reads alone.
  sqlRef('select count(*) from pg_class; select count(*) from pg_index; select count(*) from pg_attribute', 1);
  return [
    ['node -e 0', median(process.execPath, ['-e', '0'], 9), null, null],
    ['tenantctl --version', median(process.execPath, [BIN, '--version'], 9), 'node -e 0', 'node'],
    ['tenantctl --help', median(process.execPath, [BIN, '--help'], 9), 'node -e 0', 'node'],
    ['tenant list', ours(['tenant', 'list']), registry, sqlRef(registry)],
    ['tenant list --limit 20', ours(['tenant', 'list', '--limit', '20']), registry, 'same'],
    [`tenant list --limit 20 --offset ${tenants / 2}`, ours(['tenant', 'list', '--limit', '20', '--offset', String(tenants / 2)]), registry, 'same'],
    ['tenant show t0042', ours(['tenant', 'show', 't0042']), registry, 'same'],
    ['monitor tenant-sizes --limit 20', ours(['monitor', 'tenant-sizes', '--limit', '20']), 'naive exact sizes per tenant schema', exact ? sqlRef(naive.tenantSizes, 1) : null],
    ['monitor table-sizes --limit 20', ours(['monitor', 'table-sizes', '--limit', '20']), 'naive pg_total_relation_size per pg_tables row', exact ? sqlRef(naive.tableSizes, 1) : null],
    ['monitor indexes', ours(['monitor', 'indexes']), 'unused indexes, pg_stat_user_indexes + pg_relation_size', exact ? sqlRef(naive.indexes, 1) : null],
    ['monitor vacuum', ours(['monitor', 'vacuum']), 'pg_stat_user_tables + pg_total_relation_size', exact ? sqlRef(naive.vacuum, 1) : null],
    ['monitor check', ours(['monitor', 'check'], 1), null, null],
    // Start-up is most of these at 1,000 tenants (target: under 0.3 s): shown against the CLI's own.
    ['migrate status', ours(['migrate', 'status']), 'tenantctl --version (start-up)', 'version'],
    ['migrate up, nothing pending', ours(['migrate', 'up']), 'tenantctl --version (start-up)', 'version'],
  ];
}

/**
 * Drop the warm pool's spares and forget them (a run fills the pool). `migrate up` migrates spares
 * but `migrate down --tenants-only` leaves them at the newer version, after which `tenant create`
 * refuses the older checkout: a pool left by an earlier run would break the next one.
 */
async function emptyPool(db) {
  const [{ present }] = await db.sql`select to_regclass('tenantctl.tenant_pool') is not null as present`;
  if (!present) return;
  const spares = (await db.sql`select schema_name from tenantctl.tenant_pool`).map((r) => r.schema_name);
  psql(db.pgEnv, [], [
    'set client_min_messages to warning;',
    'begin;',
    ...spares.map((s) => `drop schema if exists "${s}" cascade;`),
    'delete from tenantctl.schema_migrations where schema_name in (select schema_name from tenantctl.tenant_pool);',
    'delete from tenantctl.schema_state where schema_name in (select schema_name from tenantctl.tenant_pool);',
    'delete from tenantctl.tenant_pool;',
    'delete from tenantctl.tenant_pool_target;',
    'commit;',
  ].join('\n'));
}

/** `scripts` run at once, one psql session each; resolves when all have finished (seconds). */
function psqlSideBySide(pgEnv, scripts) {
  const start = process.hrtime.bigint();
  return Promise.all(scripts.map((input) => psqlInBackground(pgEnv, [], input))).then(() => Number(process.hrtime.bigint() - start) / 1e9);
}

/**
 * One tenant migration (a column and an index) across the fleet: one psql session (issue 19's
 * reference); the same per-schema transactions split over one psql session per core; the DDL
 * as tenantctl batches it (16 schemas per transaction, asynchronous commit) over one psql
 * session per core, with no checks or bookkeeping: the floor of that way of running it on this
 * machine; then tenantctl. Three rows: tenantctl against each. The four run in turn `rounds`
 * times and each keeps its median: on a shared machine one run of the reference alone varied by
 * 40 % (1.77–2.50 s at 1,000 tenants).
 */
export async function fleetMigration(db, tenants, concurrency, rounds = 3) {
  const up = 'alter table products add column bench_flag boolean;\ncreate index idx_products_bench_flag on products (bench_flag);';
  const down = 'drop index idx_products_bench_flag;\nalter table products drop column bench_flag;';
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  cpSync(`${ROOT}migrations`, dir, { recursive: true });
  writeFileSync(join(dir, 'tenant', '9000_bench_flag.sql'), `-- migrate:up\n${up}\n\n-- migrate:down\n${down}\n`);
  const schemas = (await db.sql`select schema_name from public.tenants order by slug`).map((r) => r.schema_name);
  const perSchema = (body, list = schemas) => list.map((s) => `begin;\nset local search_path to ${s}, public;\n${body}\ncommit;`).join('\n');
  // tenantctl's batches: up to 16 schemas in one transaction that commits without waiting for the WAL flush.
  const batched = (body, list) => Array.from({ length: Math.ceil(list.length / 16) }, (_, b) => list.slice(b * 16, b * 16 + 16))
    .map((batch) => `begin;\nset local synchronous_commit to off;\n${batch.map((s) => `set local search_path to ${s}, public;\n${body}`).join('\n')}\ncommit;`).join('\n');
  const cores = availableParallelism();
  const share = (i) => schemas.filter((_, k) => k % cores === i);
  const workers = concurrency === undefined ? [] : ['--concurrency', String(concurrency)];
  const seconds = { session: [], sideBySide: [], floor: [], fleet: [] };
  for (let round = 0; round < rounds; round += 1) {
    seconds.session.push(time(() => psql(db.pgEnv, [], perSchema(up))).seconds);
    psql(db.pgEnv, [], perSchema(down));
    seconds.sideBySide.push(await psqlSideBySide(db.pgEnv, Array.from({ length: cores }, (_, i) => perSchema(up, share(i)))));
    psql(db.pgEnv, [], perSchema(down));
    seconds.floor.push(await psqlSideBySide(db.pgEnv, Array.from({ length: cores }, (_, i) => batched(up, share(i)))));
    psql(db.pgEnv, [], perSchema(down));
    const fleet = time(() => tenantctl(db.url, ['migrate', 'up', '--migrations-dir', dir, ...workers, '--json']));
    const applied = JSON.parse(fleet.result).summary.applied;
    if (applied < tenants) throw new Error(`expected ${tenants} applied, got ${applied}`);
    seconds.fleet.push(fleet.seconds);
    tenantctl(db.url, ['migrate', 'down', '--migrations-dir', dir, '--tenants-only', '--yes']);
  }
  const [session, sideBySide, floor, fleet] = [seconds.session, seconds.sideBySide, seconds.floor, seconds.fleet].map(median);
  const name = 'migrate up, one migration on every tenant';
  return [
    [name, fleet, 'one psql session, a transaction per schema', session],
    [name, fleet, `${cores} psql sessions side by side, a transaction per schema, the DDL alone`, sideBySide],
    [name, fleet, `${cores} psql sessions, 16 schemas per transaction, asynchronous commit, the DDL alone (the floor)`, floor],
  ];
}

/**
 * Issue 19 item 5: the warm pool never shows up as tenants. With spares in the pool, `tenant list`
 * (everyone) and `migrate status` must count exactly the registry's tenants, and name no spare.
 */
function assertPoolHidden(url, tenants) {
  const listed = JSON.parse(tenantctl(url, ['tenant', 'list', '--json']));
  const status = JSON.parse(tenantctl(url, ['migrate', 'status', '--json']));
  const spares = listed.filter((t) => /^tenantctl_pool/.test(t.slug) || /^tenantctl_pool/.test(t.schema ?? ''));
  if (spares.length) throw new Error(`the warm pool shows as tenants: tenant list names ${spares.map((t) => t.slug).join(', ')}`);
  // Other tenants than the fleet's are someone's doing, not the pool's: say which, so they can be erased.
  const fleet = new Set(slugsOf(tenants));
  const strangers = listed.filter((t) => !fleet.has(t.slug)).map((t) => t.slug);
  if (strangers.length) throw new Error(`bench_scale_${tenants} holds tenants the fleet did not make (${strangers.slice(0, 10).join(', ')}${strangers.length > 10 ? ', …' : ''}): erase them (tenantctl tenant erase) or build the fleet again without --reuse`);
  if (listed.length !== tenants || status.tenants.total !== tenants) {
    // No spare and no stranger is listed here: a spare counted by migrate status, or fleet tenants missing.
    throw new Error(`tenant list ${listed.length}, migrate status ${status.tenants.total}, expected ${tenants}: a spare counted as a tenant, or the fleet's tenants missing`);
  }
}

/** Median seconds of `n` CLI `tenant create` processes, each a new slug `<prefix><i>`. */
function cliCreates(url, prefix, n) {
  const times = [];
  for (let i = 0; i < n; i += 1) {
    const slug = `${prefix}${i}`;
    times.push(timer(url)(process.execPath, [BIN, 'tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `o@${slug}.test`, '--json'], 1));
  }
  return median(times);
}

/**
 * Provisioning (issue 19 item 5): createTenant() in-process, one tenant at a time, with a ready
 * spare and without (the whole tenant migration), then the CLI from the pool and with the pool
 * empty. Targets: in-process from the pool under 20 ms; the CLI from the pool about its start-up
 * (`tenantctl --version`). The tenants made are removed afterwards (rows cascade to their
 * subscriptions; schemas dropped), and so are the spares.
 */
async function provisioning(db, tenants, versionSeconds) {
  const { createTenant } = await import('../dist/tenants/create.js');
  const { schemaPerTenant: strategy } = await import('../dist/tenancy/strategy.js');
  const creates = 10;
  const cliRuns = 3;
  tenantctl(db.url, ['tenant', 'pool', 'fill', '--size', String(creates * 2 + cliRuns + 3)]);
  assertPoolHidden(db.url, tenants);
  const run = Date.now().toString(36);
  const input = (slug) => ({ slug, name: slug, plan: 'starter', ownerEmail: `owner@${slug}.test` });
  const inProcess = async (prefix, usePool) => {
    const times = [];
    for (let i = 0; i < creates; i += 1) {
      const started = performance.now();
      const t = await createTenant(db.sql, input(`${prefix}${run}${i}`), { usePool, strategy });
      times.push((performance.now() - started) / 1000);
      if (t.fromPool !== usePool) throw new Error(`expected fromPool ${usePool}`);
    }
    return median(times);
  };
  await inProcess('warm', true); // connections and migration files loaded once, as in a server
  const withPool = await inProcess('pool', true);
  const without = await inProcess('built', false);
  // Against --version and against the CLI's own start-up with one connected query
  // (bench/connected.mjs), in alternating rounds.
  const { createAgainstStartup } = await import('./connected.mjs');
  const startup = await createAgainstStartup(BIN, db.url, `cli${run}`, cliRuns);
  await emptyPool(db);
  const cliBuilt = cliCreates(db.url, `clb${run}`, cliRuns);
  const ours = `^(warm|pool|built|cli|clb)${run}`;
  await db.sql`delete from public.audit_logs where tenant_id in (select id from public.tenants where slug ~ ${ours})`;
  const made = await db.sql`delete from public.tenants where slug ~ ${ours} returning schema_name`;
  psql(db.pgEnv, [], `set client_min_messages to warning;\n${made.map((m) => `drop schema ${m.schema_name} cascade;`).join('\n')}`);
  await db.sql`delete from tenantctl.schema_migrations where schema_name = any(${made.map((m) => m.schema_name)})`;
  await db.sql`delete from tenantctl.schema_state where schema_name = any(${made.map((m) => m.schema_name)})`;
  await emptyPool(db);
  return [
    ['createTenant() in-process, from the pool (target < 20 ms)', withPool, 'createTenant() without the pool', without],
    ['tenant create (CLI), from the pool (target ≈ start-up)', startup.create, 'tenantctl --version (same rounds)', startup.version],
    ['tenant create (CLI), from the pool', startup.create, 'connect + select 1 (bench/connected.mjs, same rounds)', startup.connected],
    ['tenant create (CLI), pool empty', cliBuilt, 'tenantctl --version', versionSeconds],
  ];
}

/**
 * `tenant erase` of one tenant: its plan, its rows and schema removed, the receipt, and the scan of
 * every table of the database that proves its id is gone; against a hand-written psql erase of
 * the same rows and schema in one transaction, with no plan, receipt or scan (what the proof
 * costs). Each round erases two tenants made for it (`tenant create`, not timed).
 */
async function erasure(db, rounds) {
  const run = Date.now().toString(36);
  const make = (slug) => tenantctl(db.url, ['tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `o@${slug}.test`, '--json']);
  const times = { ours: [], psql: [] };
  for (let i = 0; i < rounds; i += 1) {
    const [ours, theirs] = [`era${run}${i}`, `erb${run}${i}`];
    make(ours);
    const erased = time(() => tenantctl(db.url, ['tenant', 'erase', ours, '--yes', '--confirm', ours, '--reason', 'bench', '--json']));
    if (JSON.parse(erased.result).scan.found.length) throw new Error(`the erase of ${ours} left traces`);
    times.ours.push(erased.seconds);
    const { id, schema } = JSON.parse(make(theirs));
    times.psql.push(time(() => psql(db.pgEnv, [], [
      'set client_min_messages to warning;',
      'begin;',
      `delete from public.audit_logs where tenant_id = '${id}';`,
      `delete from public.tenants where id = '${id}';`,
      `drop schema "${schema}" cascade;`,
      `delete from tenantctl.schema_migrations where schema_name = '${schema}';`,
      `delete from tenantctl.schema_state where schema_name = '${schema}';`,
      'commit;',
    ].join('\n'))).seconds);
  }
  return [['tenant erase, one tenant, with the scan of every table for its id', median(times.ours), 'psql: its rows and schema dropped in one transaction, no plan, receipt or scan', median(times.psql)]];
}

/** The whole run on one fleet; closes `db`. */
export async function measure(db, tenants, { concurrency, exact = false, provision = true, runs = 3 } = {}) {
  // Every earlier run's migrate up and down created and dropped a column and an index in every
  // tenant: dead catalog rows that autovacuum cleans up whenever it gets to them, which was once
  // during the monitor reports (2.73 s for monitor indexes at 10,000 tenants; 1.71-1.84 s
  // right after). Vacuumed here first, as autovacuum would leave them, so no run times that.
  psql(db.pgEnv, [], 'vacuum (analyze) pg_catalog.pg_class, pg_catalog.pg_attribute, pg_catalog.pg_index, pg_catalog.pg_depend, pg_catalog.pg_type, pg_catalog.pg_constraint;');
  const load = [execFileSync('uptime', { encoding: 'utf8' }).trim()];
  const rows = commands(db.url, tenants, exact, runs);
  console.error(`${tenants} tenants: commands timed`);
  // A failure below still leaves the figures above printed.
  try {
    await emptyPool(db);
    rows.push(...(await fleetMigration(db, tenants, concurrency, runs)));
    if (provision) rows.push(...(await provisioning(db, tenants, rows[1][1])));
    rows.push(...(await erasure(db, runs)));
    console.error(`${tenants} tenants: erase timed`);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
  await db.sql.end();
  load.push(execFileSync('uptime', { encoding: 'utf8' }).trim());
  // Each run's `migrate down` drops the bench column, and PostgreSQL keeps a dropped column's
  // pg_attribute row for good: after many runs on one fleet, every ALTER and every catalog check
  // of products reads those rows too. Said with the figures; rebuild the fleet when it grows.
  const facts = execFileSync('psql', [db.url, '-X', '-qAt', '-c', "select (select count(*) from public.tenants) || ' tenants, ' || (select count(*) from pg_class) || ' relations, PostgreSQL ' || current_setting('server_version') || ', products of the first tenant with ' || (select count(*) from pg_attribute where attisdropped and attrelid = to_regclass(format('%I.products', (select schema_name from public.tenants order by slug limit 1)))) || ' dropped columns'"], { encoding: 'utf8' }).trim();
  return { facts, load, rows };
}

const fmt = (s) => (s >= 1 ? `${s.toFixed(2)} s` : `${Math.round(s * 1000)} ms`);

/** The run as a Markdown table for BENCHMARKS.md. */
export function printTable({ facts, load, rows, hugePages }) {
  console.log(`\nscale: ${facts}\nserver's huge pages: ${hugePages}\nbefore: ${load[0]}\nafter:  ${load[1]}`);
  console.log('| command | time | reference | time | ratio |');
  console.log('| --- | ---: | --- | ---: | ---: |');
  let last = null;
  for (const [name, seconds, what, ref] of rows) {
    const theirs = ref === 'node' ? rows[0][1] : ref === 'version' ? rows[1][1] : ref === 'same' ? last : ref;
    if (typeof ref === 'number') last = ref;
    console.log(`| ${name} | ${fmt(seconds)} | ${what ?? '—'} | ${theirs == null ? '—' : fmt(theirs)} | ${theirs == null ? '—' : `${ratio(seconds, theirs)}×`} |`);
  }
  console.log('\ntenantctl times are medians of whole processes with --json (3 runs unless --runs=N, 1 when the first took over 20 s; 9 for start-up); psql likewise. The fleet migration and its references run in turn, N rounds, each the median of its own.');
}
