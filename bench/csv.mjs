// CSV import/export benchmark: tenantctl next to psql \copy (and pgloader when installed),
// in one run, on the same generated files, each into its own empty tenant.
//
// Usage: node bench/csv.mjs [--rows 1000000] [--orders 200000] [--dir /tmp/bench-csv]
//        node bench/csv.mjs --only export [--repeat 5]   (products export alone: one tenant loaded
//        untimed with psql \copy, then psql and tenantctl exports alternated; ratio of the medians)
//        node bench/csv.mjs --only export --excel-safe [--repeat 5]   (also times tenantctl export --excel-safe
//        in each round and prints its ratio to the plain export)
//        node bench/csv.mjs --only import [--repeat 3]   (products import alone: psql and tenantctl
//        alternated, each into its own empty tenant; ratio of the medians)
// Connection: DATABASE_URL, else the embedded server (`tenantctl db start`). Build first
// (npx tsc -p tsconfig.json): tenantctl runs from bin/ → dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveConnection, libpqEnv } from '../dist/db/config.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, orders: { type: 'string', default: '200000' }, dir: { type: 'string', default: '/tmp/bench-csv' }, only: { type: 'string' }, repeat: { type: 'string', default: '1' }, 'excel-safe': { type: 'boolean', default: false } } });
if (args.only !== undefined && args.only !== 'export' && args.only !== 'import') throw new Error(`--only takes "export" or "import" (got "${args.only}")`);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = `${ROOT}bin/tenantctl.js`;
const rows = Number(args.rows);
const orders = Number(args.orders);
mkdirSync(args.dir, { recursive: true });
const config = await resolveConnection({ env: process.env, cwd: process.cwd() });
const env = { ...process.env, DATABASE_URL: undefined };
const pgEnv = libpqEnv(config, process.env);
const COLS = 'sku,name,description,category,brand,weight_grams,hsn_code,cost_price,selling_price,mrp';

/**
 * Run a command under /usr/bin/time: wall seconds and peak RSS (MiB). First, untimed, the
 * server is settled so that no run pays for the one before it:
 * - VACUUM ANALYZE of the tables earlier runs loaded: otherwise autovacuum picks a freshly
 *   loaded million rows up in the middle of the next run, and the first reader of a table
 *   sets its hint bits (measured: tenantctl import 15.2 s after psql's 11.8 s in one run,
 *   12.1 s alone; an export of an unvacuumed table 5.4 s, 3.8 s once vacuumed);
 * - a CHECKPOINT, so that the WAL written by the previous run is not flushed during this
 *   one: 1,000,000 rows write ~0.5 GB of WAL (measured: tenantctl import 17.1 s right after
 *   psql's, 12.2 s alone).
 */
function timed(label, command, argv, extraEnv = env) {
  settle();
  spawnSync('psql', ['-X', '-q', '-c', 'checkpoint'], { env: pgEnv, encoding: 'utf8' });
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...argv], { env: extraEnv, encoding: 'utf8', maxBuffer: 1 << 26 });
  const last = result.stderr.trim().split('\n').pop();
  const [seconds, kb] = last.split(' ').map(Number);
  if (result.status !== 0) throw new Error(`${label} failed (${result.status}):\n${result.stderr}\n${result.stdout.slice(0, 2000)}`);
  return { label, seconds, rssMiB: Math.round(kb / 1024), stdout: result.stdout };
}

/** The middle value (the lower of the two middle ones for an even count). */
function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
}

function psql(sqlText) {
  const result = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sqlText], { env: pgEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout;
}

/** VACUUM ANALYZE every table of the bench's tenants that holds rows no vacuum has seen. */
function settle() {
  const tables = spawnSync('psql', ['-X', '-Atq', '-c', `select format('%I.%I', schemaname, relname) from pg_stat_user_tables where schemaname like 'tenant\\_${run}\\_%' and n_ins_since_vacuum + n_dead_tup > 0`], { env: pgEnv, encoding: 'utf8' });
  for (const table of tables.stdout.split('\n').filter(Boolean)) psql(`vacuum (analyze) ${table}`);
}

function freshTenant(slug) {
  psql(`delete from public.audit_logs where tenant_id in (select id from public.tenants where slug = '${slug}'); drop schema if exists tenant_${slug} cascade; delete from public.tenants where slug = '${slug}';
        insert into public.tenants (name, slug, schema_name) values ('${slug}', '${slug}', 'tenant_${slug}'); create schema tenant_${slug};`);
}

function generate(kind, file, ...counts) {
  if (existsSync(file)) return;
  const result = spawnSync(process.execPath, [`${ROOT}bench/csv-generate.mjs`, kind, file, ...counts.map(String)], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`generating ${file} failed`);
}

const productsFile = `${args.dir}/products-${rows}.csv`;
const ordersFile = `${args.dir}/orders-${orders}x3.csv`;
generate('products', productsFile, rows);
if (!args.only) generate('orders', ordersFile, orders, 3);
const mib = (file) => (statSync(file).size / 1048576).toFixed(1);

// Fresh slugs each run: the migration bookkeeping remembers schemas by name.
const run = `b${Date.now().toString(36)}`;
const T = { psql: `${run}_psql`, tctl: `${run}_tctl`, pgl: `${run}_pgl`, orders: `${run}_orders` };
if (args.only === 'import') for (let i = 0; i < Number(args.repeat); i += 1) Object.assign(T, { [`psql${i}`]: `${run}_psql${i}`, [`tctl${i}`]: `${run}_tctl${i}` });
for (const slug of Object.values(T)) freshTenant(slug);
const migrate = spawnSync(process.execPath, [BIN, 'migrate', 'up', '--tenants-only'], { env, encoding: 'utf8' });
if (migrate.status !== 0) throw new Error(migrate.stderr);

const results = [];
const rate = (n, s) => Math.round(n / s);
const exportQuery = (slug) => `select sku, name, description, category, brand, weight_grams, dimensions, hsn_code, cost_price, selling_price, mrp, tax_rate, images, attributes, is_active from tenant_${slug}.products order by sku collate "C"`;
const loadAverage = () => spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim();
const dropTenants = () => { for (const slug of Object.values(T)) psql(`delete from public.audit_logs where tenant_id in (select id from public.tenants where slug = '${slug}'); drop schema if exists tenant_${slug} cascade; delete from public.tenants where slug = '${slug}';`); };

/** The per-run table of alternated pairs, and the ratio of the medians. */
function reportPairs(title, what, pairs, target) {
  console.log(`\n${title} · ${new Date().toISOString()} · load average ${loadAverage()} after`);
  console.log('| what | tool | seconds | rows/s | peak RSS |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const [i, pair] of pairs.entries()) for (const r of pair) console.log(`| ${r === pair[0] ? `${what}${pairs.length > 1 ? ` (run ${i + 1})` : ''}` : ''} | ${r.label} | ${r.seconds.toFixed(1)} | ${rate(rows, r.seconds).toLocaleString('en-US')} | ${r.rssMiB} MiB |`);
  const [mp, mt] = [median(pairs.map((p) => p[0].seconds)), median(pairs.map((p) => p[1].seconds))];
  const rss = Math.max(...pairs.map((p) => p[1].rssMiB));
  console.log(`\n${what.split(' ')[0]}: tenantctl throughput = ${(mp / mt).toFixed(2)}× psql \\copy (target ≥ ${target}), peak RSS ${rss} MiB${pairs.length > 1 ? `; medians of ${pairs.length} runs: psql ${mp.toFixed(2)} s, tenantctl ${mt.toFixed(2)} s; per run ${pairs.map(([p, t]) => (p.seconds / t.seconds).toFixed(2)).join(', ')}` : ''}`);
}

if (args.only === 'import') {
  // Each run loads into fresh empty tenants; a pair's tables are emptied before the next.
  const pairs = [];
  for (let i = 0; i < Number(args.repeat); i += 1) {
    const p = timed('psql \\copy', 'psql', ['-X', '-c', `\\copy tenant_${T[`psql${i}`]}.products (${COLS}) from '${productsFile}' csv header`], pgEnv);
    const t = timed('tenantctl import', process.execPath, [BIN, 'import', 'products', productsFile, '--tenant', T[`tctl${i}`], '--json']);
    pairs.push([p, t]);
    psql(`truncate tenant_${T[`psql${i}`]}.products, tenant_${T[`tctl${i}`]}.products cascade`);
  }
  reportPairs('CSV import benchmark', `import ${rows} products (${mib(productsFile)} MiB)`, pairs, 0.8);
  dropTenants();
  process.exit(0);
}

if (args.only === 'export') {
  // Both tools read the same tenant, loaded once (untimed); runs alternate so drift in the
  // machine's load hits both alike.
  psql(`\\copy tenant_${T.tctl}.products (${COLS}) from '${productsFile}' csv header`);
  psql(`vacuum analyze tenant_${T.tctl}.products`);
  const loadBefore = loadAverage();
  const pairs = [];
  const safe = [];
  for (let i = 0; i < Number(args.repeat); i += 1) {
    const p = timed('psql \\copy (select …)', 'psql', ['-X', '-c', `\\copy (${exportQuery(T.tctl)}) to '${args.dir}/export-psql.csv' csv header`], pgEnv);
    const t = timed('tenantctl export', process.execPath, [BIN, 'export', 'products', '--tenant', T.tctl, '--out', `${args.dir}/export-tctl.csv`, '--json']);
    pairs.push([p, t]);
    if (args['excel-safe']) safe.push(timed('tenantctl export --excel-safe', process.execPath, [BIN, 'export', 'products', '--tenant', T.tctl, '--excel-safe', '--out', `${args.dir}/export-tctl-safe.csv`, '--json']));
  }
  reportPairs(`CSV export benchmark (load average ${loadBefore} before)`, `export ${rows} products`, pairs, 0.9);
  if (safe.length) {
    const [plain, quoted] = [median(pairs.map((p) => p[1].seconds)), median(safe.map((s) => s.seconds))];
    console.log(`--excel-safe: median ${quoted.toFixed(2)} s against ${plain.toFixed(2)} s plain: throughput ${(plain / quoted).toFixed(2)}× the plain export; per run ${safe.map((s, i) => (pairs[i][1].seconds / s.seconds).toFixed(2)).join(', ')}`);
  }
  dropTenants();
  process.exit(0);
}

// --- import of products ---
const psqlIn = timed('psql \\copy', 'psql', ['-X', '-c', `\\copy tenant_${T.psql}.products (${COLS}) from '${productsFile}' csv header`], pgEnv);
const tctlIn = timed('tenantctl import', process.execPath, [BIN, 'import', 'products', productsFile, '--tenant', T.tctl, '--json']);
results.push({ what: `import ${rows} products (${mib(productsFile)} MiB)`, n: rows, ...psqlIn }, { what: '', n: rows, ...tctlIn });
let pgloaderIn;
if (spawnSync('which', ['pgloader']).status === 0) {
  const load = `${args.dir}/products.load`;
  const url = `postgresql://${encodeURIComponent(config.user)}${config.password ? ':' + encodeURIComponent(config.password) : ''}@${config.host}:${config.port}/${config.database}`;
  writeFileSync(load, `LOAD CSV FROM '${productsFile}' (${COLS}) INTO ${url}?tenant_${T.pgl}.products (${COLS})
    WITH skip header = 1, fields optionally enclosed by '"', fields escaped by double-quote, fields terminated by ',';\n`);
  pgloaderIn = timed('pgloader', 'pgloader', ['--quiet', load], pgEnv);
  results.push({ what: '', n: rows, ...pgloaderIn });
}

// --- export of the same rows ---
const exportFile = `${args.dir}/export-psql.csv`;
// Both read the table tenantctl loaded (settled by VACUUM first), so they export the same bytes.
const psqlOut = timed('psql \\copy (select …)', 'psql', ['-X', '-c', `\\copy (${exportQuery(T.tctl)}) to '${exportFile}' csv header`], pgEnv);
const tctlOut = timed('tenantctl export', process.execPath, [BIN, 'export', 'products', '--tenant', T.tctl, '--out', `${args.dir}/export-tctl.csv`, '--json']);
results.push({ what: `export ${rows} products`, n: rows, ...psqlOut }, { what: '', n: rows, ...tctlOut });

// --- orders: 3 lines each ---
const lines = orders * 3;
const ordIn = timed('tenantctl import', process.execPath, [BIN, 'import', 'orders', ordersFile, '--tenant', T.orders, '--json']);
const ordOut = timed('tenantctl export', process.execPath, [BIN, 'export', 'orders', '--tenant', T.orders, '--out', `${args.dir}/export-orders.csv`, '--json']);
results.push({ what: `import ${orders} orders × 3 lines (${mib(ordersFile)} MiB)`, n: lines, ...ordIn }, { what: `export ${orders} orders × 3 lines`, n: lines, ...ordOut });

const load = loadAverage();
console.log(`\nCSV benchmark · ${new Date().toISOString()} · load average ${load}`);
console.log('| what | tool | seconds | rows/s | peak RSS |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const r of results) console.log(`| ${r.what} | ${r.label} | ${r.seconds.toFixed(1)} | ${rate(r.n, r.seconds).toLocaleString('en-US')} | ${r.rssMiB} MiB |`);
console.log(`\nimport: tenantctl throughput = ${(psqlIn.seconds / tctlIn.seconds).toFixed(2)}× psql \\copy (target ≥ 0.8), peak RSS ${tctlIn.rssMiB} MiB (target < 256)`);
if (pgloaderIn) console.log(`import: tenantctl throughput = ${(pgloaderIn.seconds / tctlIn.seconds).toFixed(2)}× pgloader`);
console.log(`export: tenantctl throughput = ${(psqlOut.seconds / tctlOut.seconds).toFixed(2)}× psql \\copy (target ≥ 0.9)`);
console.log(`orders: ${rate(lines, ordIn.seconds).toLocaleString('en-US')} lines/s imported, ${rate(lines, ordOut.seconds).toLocaleString('en-US')} lines/s exported`);
dropTenants();
