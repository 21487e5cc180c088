#!/usr/bin/env node
// bench/provision: provisioning N tenants of the platform schema (tenant row, subscription,
// schema with every tenant table, system roles and permissions, owner user with the owner role),
// each in its own transaction. In one run, on one fresh database:
//   (a) one psql session running the same tenant DDL and seed rows for each tenant (the anchor),
//   (b) psql started once per tenant (first M tenants),
//   (c) tenantctl's createTenant() in one process (what fixtures, the demo and an app sign-up call),
//   (d) the tenantctl CLI started once per tenant (first M tenants), the warm pool empty,
//   (e) the CLI again from the warm pool (`tenant pool fill --size M` first), in rounds with
//       `tenantctl --version` and the trivial connected command (bench/connected.mjs), so the
//       create is compared with the CLI's start-up and with a connected command that does nothing.
// Usage: npm run build && node bench/provision.mjs [tenants=200] [perProcess=50]
// BENCH_DATABASE_URL points at a server to use; otherwise a private embedded one is started.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createAgainstStartup } from './connected.mjs';
import { ROOT, benchDatabase, psql, ratio, time } from './lib.mjs';

// Measure a frozen copy of the build: in a shared checkout another `tsc` may rewrite dist/ mid-run.
const SNAP = `${ROOT}bench/out/provision-build/`;
rmSync(SNAP, { recursive: true, force: true });
for (const part of ['dist', 'bin', 'src/sql', 'migrations', 'package.json']) cpSync(`${ROOT}${part}`, `${SNAP}${part}`, { recursive: true });
const BIN = `${SNAP}bin/tenantctl.js`;
const { loadMigrations } = await import(`${SNAP}dist/migrate/files.js`);
const { createTenant } = await import(`${SNAP}dist/tenants/create.js`);
const { schemaPerTenant: strategy } = await import(`${SNAP}dist/tenancy/strategy.js`);

const tenants = Number(process.argv[2] ?? 200);
const perProcess = Math.min(tenants, Number(process.argv[3] ?? 50));
const db = await benchDatabase('bench_provision');
const cli = (args) => spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, DATABASE_URL: db.url, CI: 'true' }, encoding: 'utf8' });
const migrated = cli(['migrate', 'up', '--shared-only', '--migrations-dir', `${SNAP}migrations`]);
if (migrated.status !== 0) throw new Error(migrated.stderr);
const ddl = (await loadMigrations(`${SNAP}migrations`, 'tenant')).map((m) => m.up.sql).join('\n');

/** The same work tenantctl does, as plain SQL for psql: one transaction per tenant. */
const tenantSql = (slug) => `begin;
insert into public.tenants (name, slug, schema_name, settings) values ('${slug} Ltd', '${slug}', 'tenant_${slug}', '{"timezone":"UTC","currency":"INR"}');
insert into public.subscriptions (tenant_id, plan_id, status, current_period_start, current_period_end, payment_provider)
  select t.id, p.id, 'active', now(), now() + interval '1 month', 'manual' from public.tenants t, public.plans p where t.slug = '${slug}' and p.code = 'starter';
create schema tenant_${slug};
set local search_path to tenant_${slug}, public;
${ddl}
insert into users (email, name, is_owner) values ('owner@${slug}.test', 'owner', true);
insert into user_roles (user_id, role_id) select u.id, r.id from users u, roles r where r.code = 'owner';
insert into public.audit_logs (tenant_id, action, entity_type, entity_id) select id, 'tenant.created', 'tenant', id::text from public.tenants where slug = '${slug}';
commit;
`;
const slugs = (prefix, n) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);

console.error(`(a) one psql session, ${tenants} tenants…`);
const session = time(() => psql(db.pgEnv, [], slugs('ps', tenants).map(tenantSql).join('\n')));
console.error(`    ${((session.seconds * 1000) / tenants).toFixed(1)} ms/tenant`);
console.error(`(b) psql per tenant, ${perProcess} tenants…`);
const loop = time(() => {
  for (const slug of slugs('pl', perProcess)) psql(db.pgEnv, [], tenantSql(slug));
});
console.error(`    ${((loop.seconds * 1000) / perProcess).toFixed(1)} ms/tenant`);
console.error(`(c) createTenant() in one process, ${tenants} tenants…`);
const input = (slug) => ({ slug, name: `${slug} Ltd`, plan: 'starter', ownerEmail: `owner@${slug}.test` });
await createTenant(db.sql, input('warmup'), { strategy }); // loads and parses the migration files once, as a long-lived process does
const coreStart = performance.now();
for (const slug of slugs('tc', tenants)) await createTenant(db.sql, input(slug), { strategy });
const core = (performance.now() - coreStart) / 1000;
console.error(`    ${((core * 1000) / tenants).toFixed(1)} ms/tenant`);
console.error(`(d) tenantctl CLI per tenant, ${perProcess} tenants…`);
const perCli = time(() => {
  for (const slug of slugs('cl', perProcess)) {
    const r = cli(['tenant', 'create', slug, '--name', `${slug} Ltd`, '--plan', 'starter', '--owner-email', `owner@${slug}.test`, '--json']);
    if (r.status !== 0) throw new Error(r.stderr);
  }
});

console.error(`(e) tenantctl CLI from the warm pool, ${perProcess} rounds with --version and the trivial connected command…`);
const filled = cli(['tenant', 'pool', 'fill', '--size', String(perProcess), '--migrations-dir', `${SNAP}migrations`]);
if (filled.status !== 0) throw new Error(filled.stderr);
const startup = await createAgainstStartup(BIN, db.url, 'cp', perProcess);

const [check] = await db.sql`select count(*)::int as tenants, (select count(*)::int from pg_namespace where nspname like 'tenant\\_%') as schemas from public.tenants`;
const expected = 2 * tenants + 3 * perProcess + 1;
if (check.tenants !== expected || check.schemas !== expected) throw new Error(`expected ${expected} tenants and schemas, found ${JSON.stringify(check)}`);
await db.sql.end();

const ms = (seconds, n) => (seconds * 1000) / n;
const anchor = ms(session.seconds, tenants);
const rows = [
  ['(a) psql, one session (anchor)', tenants, ms(session.seconds, tenants)],
  ['(b) psql, one process per tenant', perProcess, ms(loop.seconds, perProcess)],
  ['(c) tenantctl createTenant(), one process', tenants, ms(core, tenants)],
  ['(d) tenantctl tenant create, one process per tenant', perProcess, ms(perCli.seconds, perProcess)],
];
console.log(`provisioning: ${tenants} tenants (${perProcess} for the per-process runs), each in its own transaction`);
for (const [name, n, each] of rows) console.log(`${name.padEnd(52)} ${String(n).padStart(4)} tenants  ${each.toFixed(1).padStart(7)} ms/tenant  ${ratio(each, anchor)}× of (a)`);
console.log(`(d) vs (b), both starting a process per tenant: ${ratio(ms(perCli.seconds, perProcess), ms(loop.seconds, perProcess))}×`);
const each = (s) => `${(s * 1000).toFixed(1)} ms`;
console.log(`(e) tenant create from the warm pool, median of ${perProcess}: ${each(startup.create)}; tenantctl --version ${each(startup.version)} (${ratio(startup.create, startup.version)}×); trivial connected command ${each(startup.connected)} (${ratio(startup.create, startup.connected)}×)`);
