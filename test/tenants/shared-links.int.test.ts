import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import type { CreatedTenant } from '../../src/tenants/create.js';
import { schemaExists, seedTenant } from './helpers.js';

/**
 * A shared table with two foreign keys to the registry (a link between two tenants), found by
 * an adversarial run: erasing A deleted B's row that named A as its partner, and exporting any
 * tenant failed on the second file of the same name, leaving a half export behind. A row is a
 * tenant's only when no tenant column names another tenant; rows shared with another tenant
 * refuse the erasure, and an export that fails leaves nothing.
 */
describe('shared tables with several tenant columns', () => {
  let db: TestDatabase;
  let a: CreatedTenant;
  let b: CreatedTenant;
  const links = async () => (await db.sql`select note from public.partner_links order by note`).map((r) => r.note as string);

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    a = await seedTenant(db.sql, 'alpha');
    b = await seedTenant(db.sql, 'bravo');
    await db.sql`create table public.partner_links (id serial primary key, tenant_id uuid not null references public.tenants (id), partner_tenant_id uuid references public.tenants (id), note text)`;
    await db.sql`insert into public.partner_links (tenant_id, partner_tenant_id, note) values
      (${a.id}, null, 'alpha alone'), (${b.id}, null, 'bravo alone'), (${b.id}, ${a.id}, 'bravo resells alpha'), (${a.id}, ${b.id}, 'alpha resells bravo')`;
  });
  afterAll(async () => db?.drop());

  it('an export writes one file per table, with the rows that are the tenant\'s alone', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'links-')), 'alpha');
    const r = await runCli(['tenant', 'export', 'alpha', '--out', out, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const csv = await readFile(join(out, 'shared', 'public.partner_links.csv'), 'utf8');
    expect(csv).toContain('alpha alone');
    expect(csv).not.toMatch(/resells|bravo alone/);
    expect(JSON.parse(r.stdout).files.filter((f: { table: string }) => f.table === 'public.partner_links')).toEqual([expect.objectContaining({ rows: 1 })]);
  });

  it('the erasure refuses while rows name both tenants, naming the table, and changes nothing', async () => {
    const dry = await runCli(['tenant', 'erase', 'alpha', '--dry-run', '--json'], { url: db.url });
    expect(dry.code).toBe(1);
    expect(JSON.parse(dry.stdout).refused).toMatchObject({ code: 'ERASE_REFUSED', details: { sharedRows: [{ table: 'public.partner_links', columns: ['partner_tenant_id', 'tenant_id'], rows: 2 }] } });
    const r = await runCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha', '--reason', 'test', '--json'], { url: db.url });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.message).toContain('2 rows of public.partner_links (partner_tenant_id, tenant_id)');
    expect(await links()).toEqual(['alpha alone', 'alpha resells bravo', 'bravo alone', 'bravo resells alpha']);
    expect(await schemaExists(db.sql, a.schema)).toBe(true);
  });

  it('once the shared rows are settled, the erasure takes only alpha\'s own row', async () => {
    await db.sql`update public.partner_links set partner_tenant_id = null where partner_tenant_id = ${a.id}`;
    await db.sql`delete from public.partner_links where note = 'alpha resells bravo'`;
    const r = await runCli(['tenant', 'erase', 'alpha', '--yes', '--confirm', 'alpha', '--reason', 'test', '--json'], { url: db.url });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await links()).toEqual(['bravo alone', 'bravo resells alpha']);
    expect(await schemaExists(db.sql, b.schema)).toBe(true);
  });

  it('an export that fails leaves no half export: a folder it created is gone, an empty one given is empty again', async () => {
    const holder = await db.sql.reserve();
    try {
      await holder`select pg_advisory_lock(hashtextextended(${'tenantctl.tenant:' + b.id}, 0))`;
      const parent = await mkdtemp(join(tmpdir(), 'links-'));
      const created = join(parent, 'new');
      const r = await runCli(['tenant', 'export', 'bravo', '--out', created, '--no-wait'], { url: db.url });
      expect(r.code, r.stderr).toBe(75);
      expect(existsSync(created)).toBe(false);
      const r2 = await runCli(['tenant', 'export', 'bravo', '--out', parent, '--no-wait'], { url: db.url });
      expect(r2.code).toBe(75);
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
    }
  });
});
