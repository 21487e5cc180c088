import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { runCli } from '../support/cli.js';
import { migrateProfileUp, profileMigrations } from '../profiles/load-profile-sql.js';
import type { CitusCheckReport } from '../../src/citus/check.js';

// `citus check` on a pooled database (ABParts, seed 002) runs on plain PostgreSQL: it is
// how a team finds out what distributing its tables by the tenant column would need.
describe('citus check on a pooled schema (plain PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('citus_pooled');
    await migrateProfileUp(db.sql, await profileMigrations('abparts'));
  });
  afterAll(async () => db?.drop());

  test('names the tenant table, and for each tenant table the keys that miss the tenant column', async () => {
    const run = await runCli(['citus', 'check', '--json'], { url: db.url });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as CitusCheckReport;
    expect(report.citus).toBeNull();
    expect(report.mode).toBe('pooled');
    expect(report.pooled!.registry).toBe('organizations');
    const users = report.pooled!.tables.find((t) => t.table === 'users')!;
    expect(users).toMatchObject({ role: 'direct', tenantColumn: 'organization_id' });
    expect(users.needs.some((n) => n.startsWith('primary key users_pkey (id) must include organization_id'))).toBe(true);
    expect(users.needs.some((n) => n.includes('users_username_key (username)'))).toBe(true);
    // Tables with no path to a tenant are reference-table candidates, not distributed ones.
    const global = report.pooled!.tables.filter((t) => t.role === 'global');
    expect(global.length).toBeGreaterThan(0);
    expect(global.every((t) => t.needs[0]!.startsWith('reference table candidate'))).toBe(true);
    // Findings are problems to fix before distributing: exit 1, like a failed check.
    expect(run.code).toBe(1);
    expect(report.problems).toBeGreaterThan(0);
  });

  test('--schema and --registry name the pooled schema and its tenant table; the human report lists what each table needs', async () => {
    const run = await runCli(['citus', 'check', '--schema', 'public', '--registry', 'organizations'], { url: db.url });
    expect(run.stdout).toContain('Pooled schema public, tenant table organizations');
    expect(run.stdout).toMatch(/users \(direct, by organization_id\)/);
  });

  test('a --registry or --schema that does not exist is a usage error, not a report that nothing blocks', async () => {
    const registry = await runCli(['citus', 'check', '--registry', 'organisations'], { url: db.url });
    expect(registry.code).toBe(2);
    expect(registry.stdout).toBe('');
    expect(registry.stderr).toContain('--registry organisations: no table public.organisations');
    const schema = await runCli(['citus', 'check', '--schema', 'abparts'], { url: db.url });
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain('--schema abparts: no such schema');
  });
});
