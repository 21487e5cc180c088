import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { addTenantRow, migrateAll, type TestDatabase } from '../support/db.js';

/** Shared schema once, then each tenant registered and migrated through the real engine. */
export async function withTenants(db: TestDatabase, ...slugs: string[]): Promise<void> {
  await migrateAll(db.sql);
  for (const slug of slugs) await addTenantRow(db.sql, slug);
  await migrateAll(db.sql);
}

export const FIXTURES = join(PACKAGE_ROOT, 'fixtures');

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

export async function fixtureText(name: string): Promise<string> {
  return readFile(fixture(name), 'utf8');
}

/** A private scratch folder for files a test writes. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'tenantctl-csv-'));
}

/** Every column of every row of a tenant table, ordered, for "nothing changed" checks. */
export async function snapshot(db: TestDatabase, schema: string, table: string): Promise<unknown[]> {
  return db.sql`select to_jsonb(t) as row from ${db.sql(schema)}.${db.sql(table)} t order by t.id`.then((rows) => rows.map((r) => r.row));
}
