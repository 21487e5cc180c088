#!/usr/bin/env node
// bench/citus: on the Citus cluster at CITUS_URL (../shared/citus/cluster.sh start):
// (1) move a tenant of N product rows with block_writes and online, while a writer inserts
//     into it every few ms: the move's time and the longest a write waited (writes blocked);
// (2) tenant rebalance of the tenants it created; (3) one tenant migration (a column and an
//     index) by `tenantctl migrate up` across T distributed tenant schemas, and the same on a
//     single-node database (same server, no citus extension).
// The move runs as a child process awaited asynchronously: with a synchronous spawn the
// writer's in-flight INSERT could not be read back until the move ended, so it "waited" as
// long as the move (the unexplained 16 s of an earlier run). While it runs, the writer's
// session is sampled in pg_stat_activity on the coordinator: what it waits on, and for whom.
// (4) with `rebalance`: six tenants of skewed sizes (rows, rows/2, rows/4 …) all on one worker, then
//     `tenant rebalance`: its moves, its time and the share of bytes per worker before and after.
// Usage: npm run build && CITUS_URL=… node bench/citus.mjs [rows=1000000] [tenants=500] [move|fleet|rebalance|all]
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { BIN, ROOT, ratio, tenantctl, time } from './lib.mjs';

const rows = Number(process.argv[2] ?? 1_000_000);
const tenants = Number(process.argv[3] ?? 500);
const part = process.argv[4] ?? 'all';
const base = process.env.CITUS_URL;
if (!base) throw new Error('CITUS_URL not set: run ../shared/citus/cluster.sh start');
const at = (host, port, db) => { const u = new URL(base); u.hostname = host; u.port = String(port); u.pathname = `/${db}`; return u.toString(); };
const run = (url, sqlText) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', sqlText], { encoding: 'utf8' });
const coord = new URL(base);
const workers = execFileSync('psql', ['-X', '-At', base, '-c', 'select nodename, nodeport from pg_dist_node where groupid <> 0 order by nodeport'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split('|'));

/** A database on every node, citus in each, workers registered (or a plain one on the coordinator's server). */
function clusterDatabase(name, plain = false) {
  const nodes = [[coord.hostname, coord.port], ...workers];
  for (const [i, [h, p]] of nodes.entries()) {
    if (plain && i > 0) continue;
    run(at(h, p, 'postgres'), `drop database if exists ${name} with (force)`);
    run(at(h, p, 'postgres'), `create database ${name}`);
    if (!plain) run(at(h, p, name), 'create extension citus');
  }
  const url = at(coord.hostname, coord.port, name);
  if (!plain) {
    run(url, `select citus_set_coordinator_host('${coord.hostname}', ${coord.port})`);
    for (const [h, p] of workers) run(url, `select citus_add_node('${h}', ${p})`);
  }
  return url;
}

/** tenantctl in a child process, awaited without blocking this process's event loop. */
function tenantctlAsync(u, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: u, CI: 'true' } });
    let out = '', err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`tenantctl ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

// (4) rebalance that really moves: tenants of skewed sizes, all put on one worker first
if (part === 'rebalance') {
  const u = clusterDatabase('bench_citus_rebalance');
  const s = postgres(u, { max: 1, onnotice: () => undefined });
  tenantctl(u, ['migrate', 'up']);
  const sizes = [rows, rows / 2, rows / 4, rows / 4, rows / 8, rows / 8].map(Math.round);
  const [first] = workers.map(([h, p]) => `${h}:${p}`);
  for (const [i, n] of sizes.entries()) {
    const slug = `r${i}`;
    tenantctl(u, ['tenant', 'create', slug, '--name', `R${i}`, '--plan', 'starter', '--owner-email', `o@${slug}.test`, '--node', first]);
    await s.unsafe(`insert into tenant_${slug}.products (sku, name, selling_price) select 'sku-' || g, 'product ' || g, g % 1000 from generate_series(1, ${n}) g`);
  }
  const share = async () => (await s`select nodename || ':' || nodeport as node, round(100.0 * sum(shard_size) / sum(sum(shard_size)) over (), 1) as pct from citus_shards where table_name::text like 'tenant_r%' group by 1 order by 1`).map((r) => `${r.node} ${r.pct}%`).join(', ');
  console.log(`before: ${await share()} (${sizes.join(', ')} products per tenant, all on ${first})`);
  const r = time(() => tenantctl(u, ['tenant', 'rebalance', '--yes', '--json']));
  const done = JSON.parse(r.result).done;
  console.log(`rebalance: ${done.length} move(s) in ${r.seconds.toFixed(1)} s; after: ${await share()}`);
  await s.end();
}

// (1) move one big tenant
if (part !== 'fleet' && part !== 'rebalance') {
const url = clusterDatabase('bench_citus');
const sql = postgres(url, { max: 2, onnotice: () => undefined });
tenantctl(url, ['migrate', 'up']);
tenantctl(url, ['tenant', 'create', 'big', '--name', 'Big', '--plan', 'starter', '--owner-email', 'o@big.test']);
console.error(`loading ${rows} products…`);
await sql`insert into tenant_big.products (sku, name, selling_price) select 'sku-' || g, 'product ' || g, g % 1000 from generate_series(1, ${rows}) g`;
const [{ size }] = await sql`select pg_size_pretty(sum(shard_size)) as size from citus_shards where table_name::text like 'tenant_big.%'`;

/**
 * Move while a writer inserts one row at a time; returns seconds, the longest insert wait,
 * and what the writer's session waited on when it was seen waiting (sampled every 50 ms).
 */
async function moveWithWriter(mode) {
  const [{ node }] = await sql`select nodename || ':' || nodeport as node from citus_shards where table_name = 'tenant_big.products'::regclass`;
  const to = workers.map(([h, p]) => `${h}:${p}`).find((a) => a !== node);
  const writer = postgres(url, { max: 1, onnotice: () => undefined, connection: { application_name: 'bench-writer' } });
  let running = true, longest = 0, writes = 0, blockedMs = 0;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await writer`insert into tenant_big.products (sku, name) values (${`w-${mode}-${writes}`}, 'during move')`;
      const waited = performance.now() - t0;
      longest = Math.max(longest, waited); writes += 1;
      if (waited > 100) blockedMs += waited;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const waits = new Map();
  const sampler = (async () => {
    while (running) {
      const seen = await sql`select wait_event_type || ':' || wait_event as wait, left(coalesce((select query from pg_stat_activity b where b.pid = any(pg_blocking_pids(a.pid)) limit 1), ''), 80) as blocker
        from pg_stat_activity a where application_name = 'bench-writer' and state = 'active' and wait_event_type is not null and wait_event_type <> 'Client'`;
      for (const w of seen) { const k = `${w.wait}${w.blocker ? ` behind "${w.blocker}"` : ''}`; waits.set(k, (waits.get(k) ?? 0) + 1); }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const t0 = performance.now();
  const result = await tenantctlAsync(url, ['tenant', 'move', 'big', '--to', to, '--mode', mode, '--json']);
  const seconds = (performance.now() - t0) / 1000;
  running = false; await loop; await sampler; await writer.end();
  return { mode: JSON.parse(result).mode, seconds, longestWriteMs: Math.round(longest), blockedMs: Math.round(blockedMs), writes, waits: [...waits].map(([k, n]) => `${k} ×${n}`).join('; ') || 'none seen' };
}
for (const mode of ['block-writes', 'auto']) {
  const m = await moveWithWriter(mode);
  console.log(`move ${rows} rows (${size}): ${m.mode} ${m.seconds.toFixed(1)} s, longest write wait ${m.longestWriteMs} ms, writes waiting >100 ms for ${(m.blockedMs / 1000).toFixed(1)} s in all (${m.writes} writes during the move); writer seen waiting on: ${m.waits}`);
}
await sql.end();
}

// (2) + (3) T tenant schemas, distributed vs single node
if (part !== 'move' && part !== 'rebalance') {
const slugs = Array.from({ length: tenants }, (_, i) => `t${String(i).padStart(4, '0')}`);
const up = 'alter table products add column bench_flag boolean;\ncreate index idx_products_bench_flag on products (bench_flag);';
const dir = mkdtempSync(join(tmpdir(), 'bench-citus-'));
cpSync(`${ROOT}migrations`, dir, { recursive: true });
writeFileSync(join(dir, 'tenant', '9000_bench_flag.sql'), `-- migrate:up\n${up}\n\n-- migrate:down\ndrop index idx_products_bench_flag;\nalter table products drop column bench_flag;\n`);
const results = {};
for (const [label, plain] of [['citus', false], ['one node', true]]) {
  const u = clusterDatabase(plain ? 'bench_citus_plain' : 'bench_citus_fleet', plain);
  const s = postgres(u, { max: 1, onnotice: () => undefined });
  tenantctl(u, ['migrate', 'up', '--shared-only']);
  await s`insert into public.tenants (name, slug, schema_name) select x, x, 'tenant_' || x from unnest(${slugs}::text[]) x`;
  // Distributed schemas on the cluster: the session setting makes each CREATE SCHEMA one.
  for (const x of slugs) await s.unsafe(`${plain ? '' : 'set citus.enable_schema_based_sharding = on; '}create schema tenant_${x}`);
  console.error(`${label}: building ${tenants} tenant schemas…`);
  const build = time(() => tenantctl(u, ['migrate', 'up', '--concurrency', '4']));
  const flag = time(() => tenantctl(u, ['migrate', 'up', '--migrations-dir', dir, '--concurrency', '4']));
  results[label] = { build: build.seconds, flag: flag.seconds };
  if (!plain) {
    const r = time(() => tenantctl(u, ['tenant', 'rebalance', '--yes', '--json']));
    console.log(`rebalance of ${tenants} equal empty tenants: ${JSON.parse(r.result).done.length} moves in ${r.seconds.toFixed(1)} s`);
  }
  await s.end();
}
console.log(`migrate up, ${tenants} tenant schemas, platform schema (33 tables): citus ${results.citus.build.toFixed(1)} s, one node ${results['one node'].build.toFixed(1)} s (${ratio(results.citus.build, results['one node'].build)}×)`);
console.log(`migrate up, ${tenants} tenant schemas, one column + index: citus ${results.citus.flag.toFixed(1)} s, one node ${results['one node'].flag.toFixed(1)} s (${ratio(results.citus.flag, results['one node'].flag)}×)`);
}
