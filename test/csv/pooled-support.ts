import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { exportCsv, type ExportSummary } from '../../src/csv/export.js';
import type { TenancyProfile } from '../../src/tenancy/profile.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';
import { scratch } from './helpers.js';

/** A database migrated as `profile` through the CLI, holding the profile's crossing dataset (test/profiles/data). */
export async function pooledDatabase(profile: string): Promise<TestDatabase> {
  const db = await createTestDatabase(`csv_${profile}`);
  const up = await runCli(['--profile', profile, 'migrate', 'up'], { url: db.url });
  expect(up.code, up.stderr).toBe(0);
  await loadSqlFile(db.sql, join(PACKAGE_ROOT, 'test', 'profiles', 'data', `${profile}-crossing.sql`));
  return db;
}

/** Rows of a child table, and the parent (with an organization_id) that owns them. */
export interface OwnedThrough {
  table: string;
  column: string;
  parent: string;
  /** The parent's tenant column. @default 'organization_id' */
  parentColumn?: string;
}

/**
 * Count and md5 of every row, per table of public, that does NOT belong to `orgId`: rows
 * of tables with an organization_id of other organizations, the child rows of
 * `through` whose parent is another organization's, rows of `direct` tables (table →
 * tenant column, for tenant columns with other names) of other organizations, every row of
 * every other table. Equal before and after = an operation on `orgId` changed nobody else.
 */
export async function othersChecksum(sql: Sql, orgId: string, through: OwnedThrough[] = [], direct: Record<string, string> = {}): Promise<Record<string, string>> {
  const tables = await sql`
    select c.relname as name, exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped) as has_org
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition order by 1`;
  const out: Record<string, string> = {};
  for (const { name, has_org } of tables as unknown as { name: string; has_org: boolean }[]) {
    const via = through.find((t) => t.table === name);
    const column = direct[name] ?? (has_org ? 'organization_id' : undefined);
    const where = column
      ? sql`where t.${sql(column)} is distinct from ${orgId}::uuid`
      : via
        ? sql`where t.${sql(via.column)} not in (select p.id from ${sql(via.parent)} p where p.${sql(via.parentColumn ?? 'organization_id')} = ${orgId}::uuid)`
        : sql``;
    const [row] = await sql`select count(*)::int as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from ${sql(name)} t ${where}`;
    out[name] = `${row!.n}:${row!.h}`;
  }
  return out;
}

/** One tenant's export of an entity, as text. */
export async function exported(sql: Sql, profile: TenancyProfile, tenant: string, entity: string): Promise<string> {
  return (await exportedWithSummary(sql, profile, tenant, entity)).text;
}

/** exported(), with the export's summary (its warnings among them). */
export async function exportedWithSummary(sql: Sql, profile: TenancyProfile, tenant: string, entity: string): Promise<{ text: string; summary: ExportSummary }> {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const summary = await exportCsv(sql, { profile, entity, tenant, output: sink, actor: 'test' });
  return { text, summary };
}

/** Write `text` to a fresh file and return its path. */
export async function csvFile(name: string, text: string): Promise<string> {
  const path = join(scratch(), name);
  await writeFile(path, text);
  return path;
}

export { readFile };
