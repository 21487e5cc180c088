#!/usr/bin/env node
// bench/scale: the everyday commands of issue 19 on schema-per-tenant fleets of the platform schema
// (seed 004), each timed as a whole process with --json beside its reference (the registry query
// in psql, the naive catalog query, one psql session, `node -e 0`), in one run per fleet size.
// The fleets are databases `bench_scale_<N>` on a private server (bench/scale-server.mjs, data under
// /work/scale-bench19 or BENCH_SCALE_HOME; BENCH_DATABASE_URL for a server of your own), built by
// bench/scale-build.mjs (a larger fleet starts as a copy of the smaller one) and kept: --reuse
// measures again, building only what is missing.
// Usage: npm run build && node bench/scale.mjs [sizes=1000,10000] [concurrency: default tenantctl's own] [--reuse] [--exact] [--build-only] [--migrate-only]
// --migrate-only times only the fleet migration against its three references (issue 19 item 3): one psql session, the DDL on one session per core, and the DDL batched as tenantctl batches it (the floor).
// --runs=N times each command N times (median; default 3), and runs the fleet migration and its references in turn N rounds; --no-provision leaves out the warm-pool provisioning rows; --exact also runs the naive queries the monitor reports are compared with (minutes at 10,000).
import { execFileSync } from 'node:child_process';
import { buildFleet } from './scale-build.mjs';
import { fleetMigration, measure, printTable } from './scale-measure.mjs';
import { hugePagesState, setFsync, startScaleServer } from './scale-server.mjs';
import { benchDatabase } from './lib.mjs';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const reuse = process.argv.includes('--reuse');
const sizes = (args[0] ?? '1000,10000').split(',').map(Number).sort((a, b) => a - b);
const concurrency = args[1] === undefined ? undefined : Number(args[1]);
const ownServer = process.env.BENCH_DATABASE_URL !== undefined;
const adminUrl = process.env.BENCH_DATABASE_URL ?? startScaleServer();
const hugePages = ownServer ? 'unknown (a server of your own)' : hugePagesState();
process.env.BENCH_DATABASE_URL = adminUrl;
const admin = (text) => execFileSync('psql', [adminUrl, '-X', '-qAt', '-c', text], { encoding: 'utf8' }).trim();

/** The fleet of `tenants` tenants, built or completed first; without --reuse it starts again from a copy of `smaller` (or nothing). */
async function fleet(tenants, smaller) {
  const name = `bench_scale_${tenants}`;
  const exists = admin(`select count(*) from pg_database where datname = '${name}'`) === '1';
  if (smaller && !(reuse && exists)) {
    admin(`drop database if exists ${name} with (force)`);
    admin(`create database ${name} template bench_scale_${smaller} strategy file_copy`);
  }
  const db = await benchDatabase(name, { keep: reuse || Boolean(smaller), connections: 8 });
  setFsync(adminUrl, false); // building: no fsync (a crash only costs a rebuild)
  const seconds = await buildFleet(db, tenants, { workers: 4 });
  setFsync(adminUrl, true); // measuring: the server's usual durability
  if (seconds) console.error(`${name}: built in ${seconds.toFixed(0)} s`);
  return db;
}

let smaller;
for (const tenants of sizes) {
  const db = await fleet(tenants, smaller);
  smaller = tenants;
  if (process.argv.includes('--build-only')) {
    await db.sql.end();
    continue;
  }
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
  if (process.argv.includes('--migrate-only')) {
    for (const [name, ours, reference, theirs] of await fleetMigration(db, tenants, concurrency, runs)) {
      console.log(`${tenants} tenants: ${name} ${ours.toFixed(2)} s, ${reference} ${theirs.toFixed(2)} s, ${(ours / theirs).toFixed(2)}×`);
    }
    await db.sql.end();
    continue;
  }
  const result = await measure(db, tenants, { concurrency, exact: process.argv.includes('--exact'), provision: !process.argv.includes('--no-provision'), runs });
  printTable({ ...result, hugePages });
}
