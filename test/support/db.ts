import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { resolveConnection } from '../../src/db/config.js';
import { connect, type Pool, type Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { loadAllMigrations } from '../../src/migrate/files.js';
import { planUp } from '../../src/migrate/plan.js';
import { runPlan } from '../../src/migrate/run.js';
import { readFleetState } from '../../src/migrate/state.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';

/** A throwaway database on the test server. */
export interface TestDatabase {
  name: string;
  /** URL for --database-url / DATABASE_URL (password, if any, stays in the passfile). */
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function pool(url: string, max = 4): Promise<Sql> {
  return connect(await resolveConnection({ databaseUrl: url, env: {}, cwd: process.cwd() }), { max });
}

/**
 * Create an empty database for one test file; `drop()` removes it (and kills leftovers).
 * `like` gives it another encoding and locale (from template0) than the server's default,
 * and with `icuLocale` the ICU locale provider (PostgreSQL 15+).
 */
export async function createTestDatabase(prefix = 't', like?: { encoding: string; locale: string; icuLocale?: string }): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = await pool(adminUrl, 1);
  if (like?.icuLocale) {
    await admin`create database ${admin(name)} template template0 encoding ${admin(like.encoding)} locale ${admin(like.locale)} locale_provider icu icu_locale ${admin(like.icuLocale)}`;
  } else if (like) await admin`create database ${admin(name)} template template0 encoding ${admin(like.encoding)} locale ${admin(like.locale)}`;
  else await admin`create database ${admin(name)}`;
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const sql = await pool(url);
  return {
    name,
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const a = await pool(adminUrl, 1);
      await a`drop database if exists ${a(name)} with (force)`;
      await a.end();
    },
  };
}

/**
 * A new pool of one connection to the test database through tenantctl's own connect: its
 * session starts with the database's settings, and nothing a pool remembers (found
 * bookkeeping, prepared statements) carries over from another.
 */
export async function freshPool(db: Pick<TestDatabase, 'url'>): Promise<Pool> {
  return connect(await resolveConnection({ databaseUrl: db.url, env: {}, cwd: process.cwd() }), { max: 1 });
}

/** Migrate shared + every tenant to the latest version through the real engine. */
export async function migrateAll(sql: Sql, migrationsDir = `${PACKAGE_ROOT}migrations`): Promise<void> {
  const files = await loadAllMigrations(migrationsDir);
  const report = await runPlan(sql, planUp(await readFleetState(sql, schemaPerTenant, files), files));
  if (!report.ok) throw new Error(`migrateAll failed: ${JSON.stringify(report.shared?.error ?? report.tenants.find((t) => t.error)?.error)}`);
}

/** Register a tenant row and create its schema the plain way (tests of the fleet engine). */
export async function addTenantRow(sql: Sql, slug: string, createSchema = true): Promise<void> {
  await sql`insert into public.tenants (name, slug, schema_name) values (${slug}, ${slug}, ${'tenant_' + slug})`;
  if (createSchema) await sql`create schema ${sql('tenant_' + slug)}`;
}

/** The test server's server_version_num (150018 …): for tests that depend on the major. */
export async function testServerVersionNum(): Promise<number> {
  const sql = await pool(inject('adminUrl'), 1);
  try {
    const [row] = await sql`select current_setting('server_version_num')::int as num`;
    return Number(row!.num);
  } finally {
    await sql.end();
  }
}
