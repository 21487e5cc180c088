// Benchmark of `tenantctl backup create` / `backup verify` against the standard tools, in one run.
//
//   npm run build && node bench/backup.mjs [--tenants 100] [--products 300] [--orders 500] [--jobs 2] [--plain-dump]
//                                          [--reuse] [--build-only] [--no-verify] [--home <dir>]
//                                          [--bare-only] [--sync-restore]
// --reuse keeps the database of an earlier run with the same --tenants (built once: 1,000
// tenants take many minutes); --build-only stops after building; --no-verify times create only;
// --bare-only times only the bare restore of the backup an earlier run left in the output folder;
// --sync-restore also times the bare restore with synchronous_commit on (the server default).
// --home <dir> keeps the embedded server's home and the archives in <dir> instead of bench/out
// (run as root, the data folder goes under TMPDIR: set TMPDIR=<dir>/tmp to keep it there too).
//
// Builds a database of N tenants with generated data (private embedded PostgreSQL with its
// DEFAULT settings, or BENCH_DATABASE_URL's server), then times, side by side:
//   1. tenantctl backup create              vs  pg_dump -Fd of the whole database (--plain-dump;
//                                               on ~1,000 tenants it fails with "out of shared memory")
//   2. tenantctl backup verify              vs  plain pg_restore of the same archives into a new
//                                               database (createdb + pg_restore -j of each chunk in order),
//                                               with synchronous_commit=off as verify restores its copy
// and prints the figures and the ratios (target for verify: at most 1.3× the bare restore with
// the same settings).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedUrl, startEmbedded } from '../dist/db/embedded.js';
import { benchDatabase, psql, ratio, ROOT, tenantctl, time } from './lib.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TENANTS = arg('tenants', 100);
const PRODUCTS = arg('products', 300);
const ORDERS = arg('orders', 500);
const JOBS = arg('jobs', 2);
const PLAIN_DUMP = process.argv.includes('--plain-dump');
const REUSE = process.argv.includes('--reuse');
const BUILD_ONLY = process.argv.includes('--build-only');
const VERIFY = !process.argv.includes('--no-verify');
const BARE_ONLY = process.argv.includes('--bare-only');
const SYNC_RESTORE = process.argv.includes('--sync-restore');
const home = process.argv.indexOf('--home');
const HOME = home > 0 ? process.argv[home + 1] : undefined;
const OUT = join(HOME ?? join(ROOT, 'bench', 'out'), `backup-${TENANTS}`);
if (HOME && !process.env.BENCH_DATABASE_URL) {
  const { state } = await startEmbedded({ home: join(HOME, 'home') });
  process.env.BENCH_DATABASE_URL = embeddedUrl(state);
}

const GENERATE = `
do $$
declare s text; ch uuid;
begin
  for s in select schema_name from public.tenants order by slug loop
    execute format('insert into %I.sales_channels (channel_type_code, name, credentials) values (''shopify'', ''Shop'', ''{"k":"v"}'') returning id', s) into ch;
    execute format($q$insert into %I.products (sku, name, description, selling_price, attributes)
      select 'sku-' || g, 'Product ' || g, repeat('lorem ipsum ', 5), (g %% 997) * 1.5, jsonb_build_object('size', g %% 7, 'tags', jsonb_build_array('a', 'b'))
      from generate_series(1, ${PRODUCTS}) g$q$, s);
    execute format($q$insert into %I.orders (order_number, channel_id, external_order_id, customer_name, shipping_address, subtotal, total_amount, order_date)
      select 'ORD-' || g, $1, 'ext-' || g, 'Customer ' || g, jsonb_build_object('city', 'Pune', 'pin', 411000 + g %% 100), g * 2.5, g * 2.75, now() - (g || ' minutes')::interval
      from generate_series(1, ${ORDERS}) g$q$, s) using ch;
    execute format($q$insert into %I.order_items (order_id, name, quantity, unit_price, total_amount)
      select o.id, 'Item ' || k, k, 10.5, 10.5 * k from %I.orders o, generate_series(1, 2) k$q$, s, s);
    -- One transaction per tenant: one for all of them would itself overflow the lock table.
    commit;
  end loop;
end $$;
insert into public.audit_logs (tenant_id, action, entity_type, entity_id)
select t.id, 'order.create', 'order', 'ORD-' || g from public.tenants t, generate_series(1, 50) g;
`;

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { ok: r.status === 0, stderr: r.stderr };
}

const { url, sql, pgEnv } = await benchDatabase(`bench_backup_${TENANTS}`, { keep: REUSE });
const [settings] = await sql`select current_setting('max_locks_per_transaction') as locks, current_setting('max_connections') as conns, version() as version`;
console.log(`server: ${settings.version.split(',')[0]}; max_locks_per_transaction=${settings.locks}, max_connections=${settings.conns}`);
const [{ built }] = await sql`select to_regclass('public.tenants') is not null and (select count(*) from pg_namespace where nspname ~ '^tenant_t[0-9]+$') = ${TENANTS} as built`;
if (!(REUSE && built)) console.log(`building ${TENANTS} tenants (${PRODUCTS} products, ${ORDERS} orders, ${ORDERS * 2} order items each)…`);
const build = REUSE && built ? { seconds: 0 } : time(() => {
  tenantctl(url, ['migrate', 'up', '--shared-only']);
  psql(pgEnv, [], `insert into public.tenants (name, slug, schema_name) select 'Tenant ' || g, 't' || g, 'tenant_t' || g from generate_series(1, ${TENANTS}) g;
    do $$ declare s text; begin for s in select schema_name from public.tenants loop execute format('create schema %I', s); end loop; end $$;`);
  tenantctl(url, ['migrate', 'up', '--concurrency', '4']);
  psql(pgEnv, [], GENERATE);
  psql(pgEnv, ['-c', 'vacuum analyze']);
});
// Every timed step starts from a clean buffer cache state: otherwise the first step that
// forces a checkpoint (verify's DROP DATABASE does, on PostgreSQL 15) pays for writing the
// freshly built database.
const checkpoint = () => psql(pgEnv, ['-c', 'checkpoint']);
checkpoint();
const [{ tables, rows, size }] = await sql`select count(*)::int as tables, sum(n_live_tup)::bigint as rows, pg_size_pretty(pg_database_size(current_database())) as size from pg_stat_user_tables`;
console.log(`${build.seconds ? `built in ${build.seconds.toFixed(1)} s` : 'reused'}: ${tables} tables, ${rows} rows, ${size}`);
if (BUILD_ONLY) process.exit(0);

if (!BARE_ONLY) {
  rmSync(OUT, { recursive: true, force: true });
  const create = time(() => JSON.parse(tenantctl(url, ['backup', 'create', '--out', OUT, '--jobs', String(JOBS), '--json'])));
  console.log(`\ntenantctl backup create --jobs ${JOBS}: ${create.seconds.toFixed(1)} s (${create.result.chunks} chunks, ${create.result.tables} tables, ${create.result.rows} rows)`);
  if (PLAIN_DUMP) {
    const plainDir = join(OUT, '..', `plain-dump-${TENANTS}`);
    rmSync(plainDir, { recursive: true, force: true });
    const plain = time(() => run('pg_dump', ['--no-password', '-Fd', '-j', String(JOBS), '-f', plainDir], pgEnv));
    const why = plain.result.ok ? 'ok' : `FAILED: ${(plain.result.stderr.match(/error: .*/g) ?? [plain.result.stderr.trim()]).slice(0, 2).join(' | ')}`;
    console.log(`pg_dump -Fd -j ${JOBS} (whole database):   ${plain.seconds.toFixed(1)} s, ${why}`);
    if (plain.result.ok) console.log(`ratio create / pg_dump: ${ratio(create.seconds, plain.seconds)}`);
    rmSync(plainDir, { recursive: true, force: true });
  }
}

if (!VERIFY) {
  await sql.end();
  process.exit(0);
}
let verify;
if (!BARE_ONLY) {
  checkpoint();
  verify = time(() => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'tenantctl.js'), 'backup', 'verify', OUT, '--jobs', String(JOBS), '--json'], { env: { ...process.env, DATABASE_URL: url, CI: 'true' }, encoding: 'utf8', maxBuffer: 1 << 28 });
    return { code: r.status, report: JSON.parse(r.stdout) };
  });
  const t = verify.result.report.timings;
  const s = (ms) => (ms / 1000).toFixed(1);
  console.log(`tenantctl backup verify --jobs ${JOBS}: ${verify.seconds.toFixed(1)} s, exit ${verify.result.code} (pg_restore --list ${s(t.listMs)} s; restores ${s(t.restoreMs)} s; beside them: sha256 ${s(t.filesMs)} s, checksums + amcheck ${s(t.checkMs)} s; drop of the scratch database ${s(t.dropMs)} s)`);
  for (const f of verify.result.report.faults.slice(0, 5)) console.log(`  fault: ${f.check}: ${f.message}`);
}

// The bare restore of the same archives: createdb, then pg_restore of each chunk in order, same -j and flags.
const manifest = JSON.parse(readFileSync(join(OUT, 'manifest.json'), 'utf8'));
// Its dropdb is timed apart: verify drops its copy inside its own time, and on a loaded machine
// removing ~200,000 files is minutes, so both ratios are printed.
function bareRestore(env) {
  checkpoint();
  const db = `bench_backup_plain_${TENANTS}`;
  execFileSync('dropdb', ['--if-exists', '--force', db], { env, stdio: 'ignore' });
  const restore = time(() => {
    execFileSync('createdb', ['-T', 'template0', db], { env });
    for (const chunk of manifest.chunks) {
      execFileSync('pg_restore', ['--no-password', '--exit-on-error', '--no-owner', '--no-privileges', '-j', String(JOBS), '-d', db, join(OUT, chunk.path)], { env });
    }
  });
  const drop = time(() => execFileSync('dropdb', ['--force', db], { env }));
  return { seconds: restore.seconds, drop: drop.seconds };
}
const async = bareRestore({ ...pgEnv, PGOPTIONS: '-c synchronous_commit=off' });
console.log(`createdb + pg_restore -j ${JOBS} of the same ${manifest.chunks.length} archive(s), one after the other, PGOPTIONS='-c synchronous_commit=off' (as verify restores its throwaway copy): ${async.seconds.toFixed(1)} s; its dropdb ${async.drop.toFixed(1)} s`);
if (verify) {
  const dropped = verify.seconds - verify.result.report.timings.dropMs / 1000;
  console.log(`\nratio verify / bare restore, both synchronous_commit=off: ${ratio(verify.seconds, async.seconds)} (target ≤ 1.30)`);
  console.log(`ratio verify / bare restore + its dropdb: ${ratio(verify.seconds, async.seconds + async.drop)}; verify without its drop / bare restore: ${ratio(dropped, async.seconds)}`);
}
if (SYNC_RESTORE) {
  const plain = bareRestore(pgEnv);
  console.log(`the same with synchronous_commit on (the server's default): ${plain.seconds.toFixed(1)} s; its dropdb ${plain.drop.toFixed(1)} s`);
  if (verify) console.log(`ratio verify / bare restore with synchronous_commit on: ${ratio(verify.seconds, plain.seconds)}`);
}
await sql.end();
