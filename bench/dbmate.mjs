#!/usr/bin/env node
// bench/dbmate: 50 small migrations in one flat dbmate folder (a table, an index, a row each),
// applied by dbmate and by tenantctl to a fresh database, then run again with nothing to apply.
// Median of 3 runs each, whole processes. `tenantctl --version` is timed too: it is the CLI's
// start-up cost, which dominates the no-op case.
// dbmate comes from DBMATE_BIN, else `dbmate` on PATH (npm's `dbmate` package ships binaries:
// `npm install --prefix /tmp/dbmate dbmate` then DBMATE_BIN=/tmp/dbmate/node_modules/.bin/dbmate).
// Usage: npm run build && node bench/dbmate.mjs [migrations=50] [runs=3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, benchDatabase, median, ratio, tenantctl, time } from './lib.mjs';

const count = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 3);
const dbmateBin = process.env.DBMATE_BIN ?? 'dbmate';

const dir = mkdtempSync(join(tmpdir(), 'bench-dbmate-'));
for (let i = 1; i <= count; i += 1) {
  const version = `2024010100${String(i).padStart(4, '0')}`;
  writeFileSync(
    join(dir, `${version}_table_${i}.sql`),
    `-- migrate:up\ncreate table t${i} (id bigint primary key, name text not null, created_at timestamptz default now());\ncreate index t${i}_name on t${i} (name);\ninsert into t${i} (id, name) values (1, 'row ${i}');\n\n-- migrate:down\ndrop table t${i};\n`,
  );
}

function dbmate(db, args) {
  const url = new URL(db.url);
  url.searchParams.set('sslmode', 'disable');
  const r = spawnSync(dbmateBin, ['--no-dump-schema', '--migrations-dir', dir, ...args], { env: { ...db.pgEnv, DATABASE_URL: url.toString() }, encoding: 'utf8' });
  if (r.error) return { missing: true };
  if (r.status !== 0) throw new Error(`dbmate ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { missing: false };
}

const hasDbmate = spawnSync(dbmateBin, ['--version'], { encoding: 'utf8' });
const dbmateVersion = hasDbmate.error ? null : hasDbmate.stdout.trim();

const fresh = { tenantctl: [], dbmate: [] };
const noop = { tenantctl: [], dbmate: [] };
const startup = [];
for (let run = 0; run < runs; run += 1) {
  const ours = await benchDatabase('bench_dbmate_tenantctl');
  fresh.tenantctl.push(time(() => tenantctl(ours.url, ['migrate', 'up', '--migrations-dir', dir])).seconds);
  noop.tenantctl.push(time(() => tenantctl(ours.url, ['migrate', 'up', '--migrations-dir', dir])).seconds);
  await ours.sql.end();
  startup.push(time(() => spawnSync(process.execPath, [BIN, '--version'])).seconds);
  if (dbmateVersion) {
    const theirs = await benchDatabase('bench_dbmate_dbmate');
    fresh.dbmate.push(time(() => dbmate(theirs, ['up'])).seconds);
    noop.dbmate.push(time(() => dbmate(theirs, ['up'])).seconds);
    await theirs.sql.end();
  }
}

const ms = (s) => `${Math.round(s * 1000)} ms`;
console.log(`dbmate bench: ${count} migrations (table + index + row each), median of ${runs}`);
console.log(`  tenantctl --version (start-up only)      ${ms(median(startup))}`);
console.log(`  fresh database:  tenantctl ${ms(median(fresh.tenantctl))}${dbmateVersion ? `   dbmate ${ms(median(fresh.dbmate))}   ratio ${ratio(median(fresh.tenantctl), median(fresh.dbmate))}x` : ''}`);
console.log(`  nothing to do:   tenantctl ${ms(median(noop.tenantctl))}${dbmateVersion ? `   dbmate ${ms(median(noop.dbmate))}   ratio ${ratio(median(noop.tenantctl), median(noop.dbmate))}x` : ''}`);
console.log(dbmateVersion ? `  (${dbmateVersion})` : `  dbmate not found (DBMATE_BIN or PATH): tenantctl figures only`);
process.exit(0);
