// Pooled CSV import benchmark (issue 16): N products into ONE organization of the IMSOP
// products table that already holds 10 other organizations' rows (N/10 each), tenantctl
// import next to psql \copy of the same file into the same table, alternated, each run
// into a fresh organization.
//
// psql's \copy cannot set organization_id (the file has no such column, the tool sets it):
// its run gives the column a DEFAULT of the target organization for the duration of the
// \copy (ALTER TABLE … SET DEFAULT, then DROP DEFAULT, in one transaction), which is what a
// DBA would do by hand. tenantctl takes the direct COPY path (the organization has no rows)
// and appends the organization's id to every record on the way in.
//
// Usage: node bench/csv-pooled.mjs [--rows 1000000] [--repeat 3] [--dir /tmp/bench-csv-pooled]
// Connection: BENCH_DATABASE_URL's server, else a private embedded one (bench/lib.mjs).
// Build first (npm run build): tenantctl runs from bin/ → dist/.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { BIN, benchDatabase, psql } from './lib.mjs';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, repeat: { type: 'string', default: '3' }, dir: { type: 'string', default: '/tmp/bench-csv-pooled' } } });
const rows = Number(args.rows);
const repeat = Number(args.repeat);
mkdirSync(args.dir, { recursive: true });
const COLS = 'sku,name,description,category,unit_of_measure,unit_cost,selling_price,reorder_level,reorder_quantity,status';
const STATUS = ['active', 'active', 'active', 'discontinued', 'archived'];

/** A deterministic products file of IMSOP's CSV shape (no organization column). */
async function generate(file, count) {
  if (existsSync(file)) return;
  const out = createWriteStream(`${file}.tmp`);
  out.write(`${COLS}\n`);
  let chunk = '';
  for (let i = 1; i <= count; i += 1) {
    const cents = (i * 7919) % 100000;
    chunk += `SKU-${String(i).padStart(8, '0')},"Product ${i}, size ${i % 50}",${i % 3 ? `Generated item number ${i}` : ''},Category ${i % 40},each,${(cents / 100).toFixed(4)},${((cents * 1.4) / 100).toFixed(4)},${i % 500},${i % 1000},${STATUS[i % 5]}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  spawnSync('mv', [`${file}.tmp`, file]);
}

const { url, sql, pgEnv } = await benchDatabase('tenantctl_bench_csv_pooled');
const env = { ...process.env, DATABASE_URL: url, CI: 'true' };
const up = spawnSync(process.execPath, [BIN, '--profile', 'imsop', 'migrate', 'up'], { env, encoding: 'utf8' });
if (up.status !== 0) throw new Error(up.stderr);

const file = `${args.dir}/imsop-products-${rows}.csv`;
await generate(file, rows);
const orgId = (i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

// 10 other organizations, N/10 rows each, loaded untimed (the same file, one default per org).
const others = 10;
for (let o = 1; o <= others; o += 1) {
  await sql`insert into organizations (id, name) values (${orgId(o)}, ${`Other ${o}`})`;
  psql(pgEnv, [], `begin;\nalter table products alter column organization_id set default '${orgId(o)}';\n\\copy products (${COLS}) from program 'head -n ${Math.floor(rows / others) + 1} ${file}' csv header\nalter table products alter column organization_id drop default;\ncommit;\n`);
}
psql(pgEnv, ['-c', 'vacuum (analyze) products']);

const loadAverage = () => spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim();
function timed(label, command, argv, runEnv) {
  psql(pgEnv, ['-c', 'checkpoint']);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', command, ...argv], { env: runEnv, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}):\n${r.stderr}`);
  const [seconds, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { label, seconds, rssMiB: Math.round(kb / 1024), stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const loadBefore = loadAverage();
const pairs = [];
for (let i = 0; i < repeat; i += 1) {
  const target = { psql: orgId(100 + 2 * i), tool: orgId(101 + 2 * i) };
  await sql`insert into organizations (id, name) values (${target.psql}, ${`Bench psql ${i}`}), (${target.tool}, ${`Bench tenantctl ${i}`})`;
  const script = `begin;\nalter table products alter column organization_id set default '${target.psql}';\n\\copy products (${COLS}) from '${file}' csv header\nalter table products alter column organization_id drop default;\ncommit;\n`;
  const scriptFile = `${args.dir}/psql-${i}.sql`;
  writeFileSync(scriptFile, script);
  const p = timed('psql \\copy', 'psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', scriptFile], pgEnv);
  psql(pgEnv, ['-c', 'vacuum (analyze) products']);
  const t = timed('tenantctl import', process.execPath, [BIN, 'import', 'products', file, '--tenant', target.tool, '--json'], env);
  psql(pgEnv, ['-c', 'vacuum (analyze) products']);
  const summary = JSON.parse(t.stdout);
  if (summary.inserted !== rows) throw new Error(`tenantctl inserted ${summary.inserted} of ${rows} rows`);
  t.label = `tenantctl import (${summary.loader})`;
  pairs.push([p, t]);
}
const [{ n }] = await sql`select count(*)::int as n from products`;
await sql.end();

console.log(`\nPooled CSV import (IMSOP products, ${rows} rows, ${(statSync(file).size / 1048576).toFixed(1)} MiB; table holds ${others} other organizations' rows, ${n} rows at the end) · ${new Date().toISOString()} · load average ${loadBefore} before, ${loadAverage()} after`);
console.log('| run | tool | seconds | rows/s | peak RSS |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const [i, pair] of pairs.entries()) for (const r of pair) console.log(`| ${r === pair[0] ? i + 1 : ''} | ${r.label} | ${r.seconds.toFixed(2)} | ${Math.round(rows / r.seconds).toLocaleString('en-US')} | ${r.rssMiB} MiB |`);
const [mp, mt] = [median(pairs.map((p) => p[0].seconds)), median(pairs.map((p) => p[1].seconds))];
console.log(`\npooled import: tenantctl throughput = ${(mp / mt).toFixed(2)}× psql \\copy (target ≥ 0.8), peak RSS ${Math.max(...pairs.map((p) => p[1].rssMiB))} MiB (target < 256); medians of ${pairs.length}: psql ${mp.toFixed(2)} s, tenantctl ${mt.toFixed(2)} s; per run ${pairs.map(([p, t]) => (p.seconds / t.seconds).toFixed(2)).join(', ')}`);
