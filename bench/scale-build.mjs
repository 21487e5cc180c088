// bench/scale-build: a schema-per-tenant commerce fleet of N tenants (seed 004) as tenantctl builds
// it, fast enough for 10,000 tenants (1.78M relations). tenantctl itself builds the first tenant
// (`migrate up --shared-only`, its registry row, `migrate up`); every other tenant gets the same
// tenant migration files replayed by psql in bulk, many schemas per transaction, in the same
// transaction as its registry row and a copy of the first tenant's migration records
// (tenantctl.schema_migrations, schema_state). A `migrate up` per tenant costs ~0.15 s of CPU for
// the catalog work plus tenantctl's own checks; 10,000 of them would take hours on this shared
// 2-core machine. `migrate status` and `profile check` afterwards confirm what was built.
// Resumable: a batch commits whole, and a rerun builds only the slugs missing from the registry.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, psql, tenantctl, time } from './lib.mjs';

const FIRST = 't0000';
const BATCH = 10;

/** t0000 … t9999: four digits, so one slug is never a prefix of another (the textual rename relies on it). */
export function slugsOf(tenants) {
  if (tenants > 10000) throw new Error('bench/scale names tenants t0000…t9999: at most 10,000');
  return Array.from({ length: tenants }, (_, i) => `t${String(i).padStart(4, '0')}`);
}

/**
 * The tenant migrations' up sections, in order, as `migrate up` runs them (unqualified names,
 * search_path set to the tenant). The first tenant's records must name exactly these files.
 */
function templateOf(applied) {
  const dir = `${ROOT}migrations/tenant`;
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  if (files.map((f) => f.split('_')[0]).join() !== applied.join()) throw new Error(`tenant_${FIRST} has ${applied.join(', ')}, the folder ${files.join(', ')}: rebuild`);
  return files
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const up = /^-- migrate:up(.*)$/m.exec(text);
      if (!up || /transaction:false/.test(up[1])) throw new Error(`${f}: bench/scale replays transactional migrations only`);
      return text.slice(up.index + up[0].length, /^-- migrate:down/m.exec(text)?.index ?? text.length);
    })
    .join('\n');
}

/** The body of one transaction creating `slugs`' schemas, registry rows and migration records. */
function batchSql(template, slugs) {
  const rows = slugs.map((s) => `('${s}', '${s}', 'tenant_${s}')`).join(',\n');
  const copy = (table, columns) =>
    `insert into tenantctl.${table} (schema_name, ${columns})\n` +
    `select n.schema_name, ${columns} from tenantctl.${table} m\n` +
    `cross join unnest(array[${slugs.map((s) => `'tenant_${s}'`).join(', ')}]) as n(schema_name) where m.schema_name = 'tenant_${FIRST}';`;
  return [
    ...slugs.map((s) => `create schema tenant_${s};\nset local search_path to tenant_${s}, public;\n${template}`),
    `insert into public.tenants (name, slug, schema_name) values\n${rows};`,
    copy('schema_migrations', 'scope, version, name, checksum, applied_at, duration_ms'),
    copy('schema_state', 'scope, status, version, error, updated_at'),
  ].join('\n');
}

/**
 * Build the fleet in `db` up to `tenants` tenants, `workers` sessions side by side (`db.sql` needs
 * that many connections).
 * @returns seconds spent, or 0 when it was already complete
 */
export async function buildFleet(db, tenants, { workers = 2, fromTheEnd = false } = {}) {
  const all = slugsOf(tenants);
  const [{ present }] = await db.sql`select count(*)::int as present from pg_namespace where nspname = ${`tenant_${FIRST}`}`;
  const started = process.hrtime.bigint();
  if (!present) {
    tenantctl(db.url, ['migrate', 'up', '--shared-only']);
    // As `tenant create` leaves it for the migrations: the registry row and the empty schema.
    await db.sql`insert into public.tenants (name, slug, schema_name) values (${FIRST}, ${FIRST}, ${`tenant_${FIRST}`}) on conflict do nothing`;
    await db.sql`create schema ${db.sql(`tenant_${FIRST}`)}`;
    const first = time(() => tenantctl(db.url, ['migrate', 'up']));
    console.error(`tenantctl built tenant_${FIRST} in ${first.seconds.toFixed(1)} s`);
  }
  const known = new Set((await db.sql`select slug from public.tenants`).map((r) => r.slug));
  // fromTheEnd: a second builder process on the same fleet starts at the other end; where the two
  // meet, one batch fails on an existing schema and rolls back whole, and that process stops.
  const missing = all.filter((s) => !known.has(s));
  if (fromTheEnd) missing.reverse();
  if (missing.length === 0) return 0;
  const versions = (await db.sql`select version from tenantctl.schema_migrations where schema_name = ${`tenant_${FIRST}`} order by version`).map((r) => r.version);
  const template = templateOf(versions);
  const batches = [];
  for (let i = 0; i < missing.length; i += BATCH) batches.push(missing.slice(i, i + BATCH));
  let done = 0;
  const worker = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      // One simple-protocol query per batch, as `migrate up` sends a migration file: psql would
      // send its ~200 statements per tenant one round trip at a time.
      await db.sql.begin((tx) => tx.unsafe(batchSql(template, batch))).catch((error) => {
        throw new Error(`cloning ${batch[0]}…${batch.at(-1)} failed: ${error.message}`);
      });
      done += batch.length;
      if (done % 500 < BATCH) console.error(`  ${done}/${missing.length} tenants cloned (${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(0)} s)`);
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  // The catalogs' statistics, as autovacuum would have them after a build this size. The tenants'
  // tables stay never-analysed, as empty tables are on a real server (autoanalyze needs rows).
  psql(db.pgEnv, [], "select format('analyze pg_catalog.%I', relname) from pg_class where relnamespace = 'pg_catalog'::regnamespace and relkind = 'r' \\gexec");
  return Number(process.hrtime.bigint() - started) / 1e9;
}
