import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

const client = await backupClientStatus();

/** A tenant the application inserted (slug acme-corp) is restored by that slug, like any other. */
describe.skipIf(!client.ok)(client.ok ? 'restore-tenant of an application-inserted handle' : `restore-tenant of an application-inserted handle (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-restore-app-'));
    db = await createTestDatabase('rta');
    await migrateAll(db.sql);
    await db.sql`insert into public.tenants (name, slug, schema_name) values ('Acme Corp', 'acme-corp', 'tenant_acme-corp')`;
    await db.sql`create schema "tenant_acme-corp"`;
    const up = await runCli(['migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await db.sql`insert into "tenant_acme-corp".products (sku, name) values ('p-1', 'Kept')`;
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('backup restore-tenant --tenant acme-corp brings it back; --as still follows the slug rule', async () => {
    const backup = join(work, 'b');
    const created = await runCli(['backup', 'create', '--out', backup], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const [{ id }] = await db.sql`select id from public.tenants where slug = 'acme-corp'`;
    await db.sql`delete from public.audit_logs where tenant_id = ${id}`;
    await db.sql`delete from public.tenants where id = ${id}`;
    await db.sql`drop schema "tenant_acme-corp" cascade`;
    await db.sql`delete from tenantctl.schema_migrations where schema_name = 'tenant_acme-corp'`;
    const restored = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'acme-corp'], { url: db.url });
    expect(restored.code, restored.stderr).toBe(0);
    expect(await db.sql`select sku from "tenant_acme-corp".products`).toEqual([{ sku: 'p-1' }]);
    const as = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'acme-corp', '--as', 'acme-copy-2'], { url: db.url });
    expect(as.code).toBe(2);
    expect(as.stderr).toContain('Invalid --as "acme-copy-2"');
  });
});
