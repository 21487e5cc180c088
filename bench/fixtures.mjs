// Benchmark of `tenantctl fixtures generate` and `tenantctl maintain`, each beside the
// standard tool doing the comparable part of the job, in one run:
//   - generate: tenantctl (create + migrate 100 tenant schemas, generate rows, COPY) versus a
//     sequential psql loop that \copy-loads the very same rows from files into the same tables,
//     indexes and foreign keys in place (no generation, no schema creation);
//   - maintain: tenantctl maintain --json (retention in every tenant, partitions, matviews,
//     ANALYZE of stale tables only) versus vacuumdb --analyze-only (ANALYZE of every table).
// Usage: npm run build && node bench/fixtures.mjs [tenants] [products] [orders]
// (BENCH_DATABASE_URL to use a server of your own; otherwise a private embedded one.)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { benchDatabase, psql, ratio, ROOT, tenantctl, time } from './lib.mjs';

const [tenants = 100, products = 1000, orders = 5000] = process.argv.slice(2).map(Number);
const TABLES = ['sales_channels', 'products', 'orders', 'order_items'];

const db = await benchDatabase('bench_fixtures');
tenantctl(db.url, ['migrate', 'up']);

const generateArgs = ['fixtures', 'generate', '--tenants', String(tenants), '--products', String(products), '--orders', String(orders), '--json'];
const gen = time(() => JSON.parse(tenantctl(db.url, generateArgs)));
const report = gen.result;
console.log(`tenantctl ${generateArgs.join(' ')}`);
console.log(`  ${gen.seconds.toFixed(1)} s wall · ${report.rows.products} products, ${report.rows.orders} orders, ${report.rows.orderItems} order lines`);
// The phases are summed over the parallel workers (and the generator thread): they overlap.
console.log(`  summed over workers: schemas ${(report.phases.schemasMs / 1000).toFixed(1)} s · generate ${(report.phases.generateMs / 1000).toFixed(1)} s · COPY + indexes ${(report.phases.loadMs / 1000).toFixed(1)} s`);

const rerun = time(() => JSON.parse(tenantctl(db.url, generateArgs)));
console.log(`  re-run with the same arguments (idempotent, nothing to do): ${rerun.seconds.toFixed(1)} s, skipped ${rerun.result.tenants.skipped}`);

const maintain = time(() => tenantctl(db.url, ['maintain', '--json']));
const lines = maintain.result.trim().split('\n').map((l) => JSON.parse(l));
console.log(`tenantctl maintain --json: ${maintain.seconds.toFixed(1)} s · ${lines.map((l) => `${l.task} ${(l.durationMs / 1000).toFixed(1)} s`).join(' · ')}`);
const analyzed = lines.find((l) => l.task === 'analyze')?.summary.analyzed;
const vacuumdb = time(() => execFileSync('vacuumdb', ['--analyze-only', '--quiet'], { env: db.pgEnv }));
console.log(`vacuumdb --analyze-only (every table): ${vacuumdb.seconds.toFixed(1)} s  (tenantctl maintain analyzed ${analyzed} stale tables and did retention, partitions, matviews besides; ratio maintain/vacuumdb ${ratio(maintain.seconds, vacuumdb.seconds)})`);

// Baseline for the rows phase: the same rows, loaded by a sequential psql \copy loop.
const dir = `${ROOT}bench/out/fixtures-copy`;
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const slugs = (await db.sql`select slug, schema_name from public.tenants where slug like 'demo\\_%' order by slug`).map((r) => r.schema_name);
const columnsOf = {};
for (const table of TABLES) {
  const cols = await db.sql`select column_name from information_schema.columns where table_schema = ${slugs[0]} and table_name = ${table} order by ordinal_position`;
  columnsOf[table] = cols.map((c) => c.column_name).join(', ');
}
for (const schema of slugs) {
  psql(db.pgEnv, [], TABLES.map((t) => `\\copy ${schema}.${t} (${columnsOf[t]}) to '${dir}/${schema}.${t}.txt'`).join('\n'));
}
for (const schema of slugs) psql(db.pgEnv, ['-c', 'set client_min_messages = warning', '-c', `truncate ${TABLES.map((t) => `${schema}.${t}`).join(', ')} cascade`]);
const loop = time(() => {
  for (const schema of slugs) {
    psql(db.pgEnv, [], ['begin;', ...TABLES.map((t) => `\\copy ${schema}.${t} (${columnsOf[t]}) from '${dir}/${schema}.${t}.txt'`), 'commit;'].join('\n'));
  }
});
console.log(`psql \\copy loop, same rows from files, one psql per tenant: ${loop.seconds.toFixed(1)} s  (tenantctl whole run, schemas and generation included / psql loop: ${ratio(gen.seconds, loop.seconds)})`);

rmSync(dir, { recursive: true, force: true });
await db.sql.end();
