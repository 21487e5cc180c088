// The pooled IMSOP data set the pooled benches share (bench/pooled-sizes, bench/pooled-restore):
// `orgs` organizations, each with one warehouse, one admin, `perOrg` products, inventory rows
// and inventory transactions, and `events` analytics events spread with a Zipf-like skew (rank
// k gets a share ∝ 1/k^0.8). Built with generate_series, then VACUUM ANALYZE.
import { spawnSync } from 'node:child_process';
import { BIN } from './lib.mjs';

/** Wall-clock seconds and stdout of a child process run to completion; a non-zero exit throws with its output. */
export function timed(command, argv, env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, argv, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return { seconds, stdout: r.stdout };
}

/** Migrate the database to the IMSOP profile with tenantctl (env: its DATABASE_URL), then load the data set. */
export async function buildSkewedImsop(sql, { orgs, events, perOrg, env }) {
  console.error(`building: ${orgs} organizations, ${events} analytics events (skewed), ${perOrg} products / inventory rows / transactions each …`);
  timed(process.execPath, [BIN, '--profile', 'imsop', 'migrate', 'up'], env);
  await sql`insert into organizations (name, created_at) select 'Org ' || lpad(g::text, 5, '0'), '2025-01-01' from generate_series(1, ${orgs}) g`;
  await sql`insert into warehouses (organization_id, name) select id, 'Main' from organizations`;
  await sql`insert into users (organization_id, email, password_hash) select id, 'admin@' || replace(lower(name), ' ', '-') || '.test', 'x' from organizations`;
  await sql`insert into products (organization_id, sku, name) select o.id, 'SKU-' || g, 'Product ' || g from organizations o cross join generate_series(1, ${perOrg}) g`;
  await sql`insert into inventory (warehouse_id, product_id, quantity_on_hand) select w.id, p.id, 10 from warehouses w join products p on p.organization_id = w.organization_id`;
  await sql`insert into inventory_transactions (inventory_id, transaction_type, quantity) select id, 'receipt', 10 from inventory`;
  // The big table is loaded without its secondary indexes, which are built once afterwards (same end state, a fraction of the time).
  await sql`drop index analytics_events_idx_organization_id, analytics_events_idx_event_type, analytics_events_idx_created_at`;
  await sql`
    with ranked as (select id, row_number() over (order by name) as k from organizations),
         weights as (select id, k, 1 / power(k, 0.8) as w from ranked),
         counts as (select id, greatest(1, round(${events} * w / sum(w) over ()))::int as n from weights)
    insert into analytics_events (organization_id, event_type, entity_type, entity_id, created_at)
    select c.id, 'page_view', 'product', g::text, timestamp '2024-01-01' + g * interval '1 second'
    from counts c cross join lateral generate_series(1, c.n) g`;
  await sql`create index analytics_events_idx_organization_id on analytics_events (organization_id)`;
  await sql`create index analytics_events_idx_event_type on analytics_events (event_type)`;
  await sql`create index analytics_events_idx_created_at on analytics_events (created_at)`;
  await sql`vacuum analyze`;
}
