#!/usr/bin/env node
// bench/pooled-erase: erasing one organization of a pooled IMSOP database that holds a big
// tenant A, a big tenant B and many small ones. In one run, on one fresh database, each inside
// a transaction that is rolled back (so every variant erases the same rows):
//   (a) psql: the delete script a DBA would write by hand for IMSOP (children first, owner
//       paths as IN-subqueries, the optional references nulled), one transaction: the anchor;
//   (b) tenantctl: planErase() (every count, reference and personal-data probe) then
//       applyErase() in one transaction;
//   (c) tenantctl postScan() after (b), against (d) the naive proof: the whole-database
//       substring scan for the id (src/tenants/scan.ts scanForValue, what commerce uses).
// Usage: npm run build && node bench/pooled-erase.mjs [rowsA=200000] [small=50] [indexed]
// `indexed` first creates the indexes `profile check` advises for IMSOP's unindexed foreign keys.
// BENCH_DATABASE_URL points at a server to use; otherwise a private embedded one is started.
import { readFileSync, readdirSync } from 'node:fs';
import { ROOT, benchDatabase, psql, ratio } from './lib.mjs';

const { classify, checkProfile, planErase, applyErase, postScan, IMSOP_DECLARATIONS: IMSOP } = await import(`${ROOT}dist/pooled/index.js`);
const { scanForValue } = await import(`${ROOT}dist/tenants/scan.js`);

const rowsA = Number(process.argv[2] ?? 200000);
const small = Number(process.argv[3] ?? 50);
const db = await benchDatabase('bench_pooled_erase');
const { sql } = db;
const dir = `${ROOT}migrations/imsop/`;
for (const f of readdirSync(dir).filter((n) => n.endsWith('.sql')).sort()) {
  psql(db.pgEnv, [], readFileSync(dir + f, 'utf8').split('-- migrate:down')[0]);
}

/** One organization with `n` analytics events and n/4 inventory transactions, n/100 of most other rows. */
async function organization(name, n) {
  const [{ id }] = await sql`insert into organizations (name) values (${name}) returning id::text`;
  await sql`insert into users (organization_id, email, password_hash) select ${id}, ${name} || '-u' || g || '@example.test', 'x' from generate_series(1, greatest(2, ${n} / 1000)) g`;
  await sql`insert into roles (organization_id, name) values (${id}, 'admin')`;
  await sql`insert into user_roles (user_id, role_id) select u.id, r.id from users u, roles r where u.organization_id = ${id} and r.organization_id = ${id}`;
  await sql`insert into suppliers (organization_id, name) values (${id}, 'S')`;
  await sql`insert into products (organization_id, sku, name) select ${id}, 'SKU' || g, 'P' from generate_series(1, greatest(1, ${n} / 100)) g`;
  await sql`insert into warehouses (organization_id, name) values (${id}, 'W')`;
  await sql`insert into inventory (warehouse_id, product_id) select w.id, p.id from warehouses w, products p where w.organization_id = ${id} and p.organization_id = ${id}`;
  await sql`insert into inventory_transactions (inventory_id, transaction_type, quantity, created_by)
    select i.id, 'receipt', 1, (select id from users where organization_id = ${id} limit 1)
    from inventory i join warehouses w on w.id = i.warehouse_id cross join generate_series(1, 25) g where w.organization_id = ${id}`;
  await sql`insert into analytics_events (organization_id, event_type, entity_id, metadata)
    select ${id}, 'view', g::text, json_build_object('n', g) from generate_series(1, ${n}) g`;
  return id;
}

console.error(`building: A and B with ${rowsA} events each, ${small} small organizations …`);
const A = await organization('A', rowsA);
await organization('B', rowsA);
for (let i = 0; i < small; i++) await organization(`small${i}`, 200);
if (process.argv[4] === 'indexed') {
  for (const f of (await checkProfile(sql, IMSOP)).findings.filter((x) => x.kind === 'fk-without-index')) await sql.unsafe(f.advice);
}
await sql`analyze`;
const [{ total }] = await sql`select (select count(*) from analytics_events) + (select count(*) from inventory_transactions) as total`;

const handScript = `begin;
update warehouses set manager_id = null where manager_id in (select id from users where organization_id = '${A}') and organization_id <> '${A}';
update inventory_transactions set created_by = null where created_by in (select id from users where organization_id = '${A}');
update purchase_orders set created_by = null where created_by in (select id from users where organization_id = '${A}');
update analytics_events set user_id = null where user_id in (select id from users where organization_id = '${A}');
delete from user_roles where role_id in (select id from roles where organization_id = '${A}') or user_id in (select id from users where organization_id = '${A}');
delete from role_permissions where role_id in (select id from roles where organization_id = '${A}');
delete from inventory_transactions where inventory_id in (select i.id from inventory i join warehouses w on w.id = i.warehouse_id where w.organization_id = '${A}');
delete from inventory where warehouse_id in (select id from warehouses where organization_id = '${A}');
delete from purchase_order_items where purchase_order_id in (select id from purchase_orders where organization_id = '${A}');
delete from shipment_tracking where shipment_id in (select id from shipments where organization_id = '${A}');
delete from purchase_orders where organization_id = '${A}';
delete from shipments where organization_id = '${A}';
delete from analytics_events where organization_id = '${A}';
delete from analytics_metrics where organization_id = '${A}';
delete from warehouses where organization_id = '${A}';
delete from products where organization_id = '${A}';
delete from suppliers where organization_id = '${A}';
delete from roles where organization_id = '${A}';
delete from users where organization_id = '${A}';
delete from organizations where id = '${A}';
rollback;`;

const seconds = async (fn) => { const t = process.hrtime.bigint(); const r = await fn(); return [Number(process.hrtime.bigint() - t) / 1e9, r]; };
const [hand] = await seconds(async () => psql(db.pgEnv, [], handScript));
const cls = await classify(sql, IMSOP);
let planS = 0; let applyS = 0; let scanS = 0; let deleted = 0;
const rollback = new Error('rollback');
await sql.begin(async (tx) => {
  const [p, plan] = await seconds(() => planErase(tx, IMSOP, cls, A));
  const [a, result] = await seconds(() => applyErase(tx, plan));
  const [s, scan] = await seconds(() => postScan(tx, IMSOP, cls, A, result.erasedValues));
  if (!scan.clean) throw new Error(`post-scan found ${JSON.stringify(scan.found)}`);
  [planS, applyS, scanS] = [p, a, s];
  deleted = Object.values(result.counts.deleted).reduce((x, y) => x + y, 0);
  throw rollback;
}).catch((e) => { if (e !== rollback) throw e; });
const [naive] = await seconds(() => scanForValue(sql, A));

console.log(`pooled IMSOP database: ${total} event+transaction rows over ${small + 2} organizations; A holds ${deleted} rows`);
console.log(`(a) psql, hand-written delete script          ${hand.toFixed(2)} s`);
console.log(`(b) tenantctl planErase + applyErase           ${(planS + applyS).toFixed(2)} s  (plan ${planS.toFixed(2)} s, apply ${applyS.toFixed(2)} s)  ratio ${ratio(planS + applyS, hand)}x`);
console.log(`(c) tenantctl postScan (index lookups + candidate columns)  ${scanS.toFixed(2)} s`);
console.log(`(d) naive whole-database substring scan        ${naive.toFixed(2)} s  ratio (c)/(d) ${ratio(scanS, naive)}x`);
await sql.end();
