import { randomBytes } from 'node:crypto';
import { test } from 'vitest';
import { resolveConnection } from '../../src/db/config.js';
import { connect, type Sql } from '../../src/db/connect.js';

/** Why the Citus tests did not run, as the test summary shows it. */
export const SKIP_REASON = 'CITUS_URL not set: run .ci/run or ../shared/citus/cluster.sh start';

/** The coordinator URL of the test cluster, or undefined (the Citus tests then report as skipped). */
export const CITUS_URL = process.env.CITUS_URL || undefined;

/**
 * Without CITUS_URL: one skipped test whose note is the reason, and the reason on stderr,
 * which the default reporter shows beside the file (it prints no skip notes itself).
 */
export function reportSkipped(): void {
  console.warn(`skipped: ${SKIP_REASON}`);
  test('Citus cluster tests', (context) => context.skip(SKIP_REASON));
}

/** A throwaway database on every node of the cluster, registered as its own Citus cluster. */
export interface CitusDatabase {
  name: string;
  url: string;
  sql: Sql;
  workers: { host: string; port: number; address: string; url: string }[];
  /** A direct connection to one worker's copy of this database (to inspect shards). */
  worker(address: string): Promise<Sql>;
  /** For `createCitusDatabase({ plain: true })`: CREATE EXTENSION citus on the coordinator and register the workers. */
  becomeCoordinator(): Promise<void>;
  drop(): Promise<void>;
}

function urlFor(base: string, host: string, port: number, database: string): string {
  const u = new URL(base);
  u.hostname = host;
  u.port = String(port);
  u.pathname = `/${database}`;
  return u.toString();
}

async function pool(url: string, max = 4): Promise<Sql> {
  return connect(await resolveConnection({ databaseUrl: url, env: {}, cwd: process.cwd() }), { max });
}

async function onNode(url: string, work: (sql: Sql) => Promise<unknown>): Promise<void> {
  const sql = await pool(url, 1);
  try {
    await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Create database `c_<random>` on the coordinator and on each worker of the CITUS_URL
 * cluster, with the citus extension in each, and register the workers with the new
 * coordinator database, so that every test file has a cluster of its own.
 * @param options.plain leave the coordinator's database plain PostgreSQL until becomeCoordinator() (a single-node database that later grows into a cluster)
 */
export async function createCitusDatabase(options: { plain?: boolean } = {}): Promise<CitusDatabase> {
  const base = CITUS_URL!;
  const name = `c_${randomBytes(5).toString('hex')}`;
  const admin = await pool(base, 1);
  const nodes = (await admin`select nodename as host, nodeport as port from pg_dist_node where groupid <> 0 order by nodeport`) as unknown as { host: string; port: number }[];
  const coordinator = new URL(base);
  await admin.end();
  const workers = nodes.map((n) => ({ ...n, address: `${n.host}:${n.port}`, url: urlFor(base, n.host, n.port, name) }));
  const all = [{ host: coordinator.hostname, port: Number(coordinator.port || 5432) }, ...nodes];
  for (const [i, n] of all.entries()) {
    await onNode(urlFor(base, n.host, n.port, 'postgres'), (s) => s`create database ${s(name)}`);
    if (i > 0) await onNode(urlFor(base, n.host, n.port, name), (s) => s`create extension citus`);
  }
  const url = urlFor(base, coordinator.hostname, Number(coordinator.port || 5432), name);
  const becomeCoordinator = () => onNode(url, async (s) => {
    await s`create extension citus`;
    await s`select citus_set_coordinator_host(${coordinator.hostname}, ${Number(coordinator.port || 5432)})`;
    for (const w of nodes) await s`select citus_add_node(${w.host}, ${w.port})`;
  });
  if (!options.plain) await becomeCoordinator();
  const sql = await pool(url);
  return {
    name,
    url,
    sql,
    workers,
    worker: (address) => pool(workers.find((w) => w.address === address)!.url, 1),
    becomeCoordinator,
    async drop() {
      await sql.end({ timeout: 5 });
      for (const n of all) await onNode(urlFor(base, n.host, n.port, 'postgres'), (s) => s`drop database if exists ${s(name)} with (force)`);
    },
  };
}

/** Tables of a schema present on a worker (the shards of a distributed schema live there under the same schema name). */
export async function tablesOnWorker(worker: Sql, schema: string): Promise<string[]> {
  // Citus hides shards from pg_class for ordinary sessions on a worker.
  await worker`set citus.override_table_visibility = off`;
  const rows = (await worker`select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind in ('r', 'p') order by 1`) as unknown as { name: string }[];
  return rows.map((r) => r.name);
}

/**
 * Bytes on the coordinator's disk in the local tables of a schema: after citus_schema_distribute
 * the rows live on a worker, and what is left here is a copy no query sees (pg_relation_size
 * reads the local file, not the shards).
 */
export async function localBytes(sql: Sql, schema: string): Promise<number> {
  const [{ bytes }] = (await sql`select coalesce(sum(pg_relation_size(c.oid)), 0)::bigint::int as bytes from pg_class c where c.relnamespace = ${schema}::regnamespace and c.relkind = 'r'`) as unknown as [{ bytes: number }];
  return bytes;
}
