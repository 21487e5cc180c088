// Shared helpers of the benchmark scripts: a private embedded PostgreSQL (or BENCH_DATABASE_URL),
// timing, the tenantctl CLI as a user runs it, psql with the same connection.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { embeddedUrl, startEmbedded } from '../dist/db/embedded.js';
import { libpqEnv, resolveConnection } from '../dist/db/config.js';
import { connect } from '../dist/db/connect.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = `${ROOT}bin/tenantctl.js`;

/**
 * A fresh database for one benchmark (or the one kept from a previous run, with `keep`), on
 * BENCH_DATABASE_URL's server or a private embedded one in `home` (its `extraConf` lines apply
 * when that server is first initialised).
 */
export async function benchDatabase(name, { keep = false, home = `${ROOT}bench/out/home`, extraConf, connections = 4 } = {}) {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    mkdirSync(home, { recursive: true });
    const { state } = await startEmbedded({ home, extraConf });
    adminUrl = embeddedUrl(state);
  }
  const admin = connect(await resolveConnection({ databaseUrl: adminUrl, env: {}, cwd: ROOT }), { max: 1 });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!(keep && exists)) {
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin`create database ${admin(name)}`;
  }
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const config = await resolveConnection({ databaseUrl: url, env: {}, cwd: ROOT });
  return { url, sql: connect(config, { max: connections }), pgEnv: libpqEnv(config, { PATH: process.env.PATH }) };
}

/** Wall-clock seconds of a synchronous step. */
export function time(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, result };
}

/** Run tenantctl; throws with its stderr on failure. */
export function tenantctl(url, args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: url, CI: 'true' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tenantctl ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const PSQL_FLAGS = ['-X', '-q', '-v', 'ON_ERROR_STOP=1'];

/** Run psql with a script on stdin (or -c), same server and database. */
export function psql(pgEnv, args, input) {
  return execFileSync('psql', [...PSQL_FLAGS, ...args], { env: pgEnv, input, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** `psql` without waiting for it, its output discarded: resolves when it exits 0. */
export function psqlInBackground(pgEnv, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [...PSQL_FLAGS, ...args], { env: pgEnv, stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`psql exited ${code}`))));
    child.stdin.end(input);
  });
}

/** The middle value of `xs` (the upper of the two middle ones for an even count), `xs` left as it is. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** a / b with two decimals, for printed ratios. */
export function ratio(a, b) {
  return (a / b).toFixed(2);
}
