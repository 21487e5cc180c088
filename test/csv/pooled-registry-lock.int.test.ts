import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCsv } from '../../src/csv/export.js';
import { importCsv } from '../../src/csv/import.js';
import { tenantLockName, withTenantLock } from '../../src/tenancy/locks.js';
import { imsop } from '../../src/tenancy/profiles/imsop.js';
import type { TestDatabase } from '../support/db.js';
import { scratch } from './helpers.js';
import { csvFile, pooledDatabase } from './pooled-support.js';

/**
 * The tenant lock checks the tenant's row in the PROFILE's registry once it is held (IMSOP:
 * public.organizations, shared schema), for every caller: CSV import and export included.
 * An organization removed while a command waits for its lock is reported as gone, and the
 * command changes nothing and writes no file.
 */

const A = '00000001-0000-4000-8000-0000000000a0';
const B = '00000001-0000-4000-8000-0000000000b0';
const C = '00000001-0000-4000-8000-0000000000c0';

describe('imsop: the tenant lock checks the pooled registry row', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await pooledDatabase('imsop');
  });
  afterAll(async () => db.drop());

  /** Hold `org`'s lock until `removed`: the organization's row is deleted (foreign keys not fired) and the lock released at once. */
  async function removeWhileHeld(org: string, start: (onWait: (m: string) => void) => Promise<unknown>): Promise<unknown> {
    const held = await db.sql.reserve();
    try {
      await held`begin`;
      await held`select pg_advisory_xact_lock(hashtextextended(${tenantLockName(org)}, 0))`;
      const waits: string[] = [];
      const running = start((m) => waits.push(m)).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      while (waits.length === 0) await new Promise((r) => setTimeout(r, 50));
      // The command is queued behind us: the organization goes away before it gets the lock.
      await held`set local session_replication_role = replica`;
      await held`delete from organizations where id = ${org}`;
      await held`commit`;
      return await running;
    } finally {
      held.release();
    }
  }

  it('withTenantLock with a pooled registry runs the work for a registered organization, and refuses one that is not', async () => {
    const registry = imsop.registry;
    expect(await withTenantLock(db.sql, { id: A, slug: 'Acme Logistics', schema: 'public' }, { what: 'test', registry }, async () => 'ran')).toBe('ran');
    expect(await withTenantLock(db.sql, { id: A, slug: 'Acme Logistics', schema: 'public' }, { what: 'test', registry, shared: true }, async () => 'read')).toBe('read');
    const unknown = '00000001-0000-4000-8000-0000000000ff';
    const gone = await withTenantLock(db.sql, { id: unknown, slug: 'Nobody', schema: 'public' }, { what: 'test', registry }, async () => 'ran').catch((e: { code?: string; message: string }) => e);
    expect(gone).toMatchObject({ code: 'TENANT_GONE' });
    expect((gone as Error).message).toContain('Tenant Nobody no longer exists');
    const moved = await withTenantLock(db.sql, { id: A, slug: 'Acme Logistics', schema: 'tenant_acme' }, { what: 'test', registry, shared: true }, async () => 'read').catch((e: { code?: string }) => e);
    expect(moved).toMatchObject({ code: 'TENANT_SCHEMA_MISMATCH' });
  });

  it('an import into an organization removed while it waits for the lock is reported as gone and inserts nothing', async () => {
    const file = await csvFile('gone.csv', 'sku,name\nGONE-1,Never imported\n');
    const outcome = await removeWhileHeld(C, (onWait) => importCsv(db.sql, { profile: imsop, actor: 'test', entity: 'products', tenant: C, input: file, onWait }));
    expect(outcome).toMatchObject({ error: { code: 'TENANT_GONE' } });
    expect(await db.sql`select count(*)::int as n from products where sku = 'GONE-1'`).toEqual([{ n: 0 }]);
  });

  it('an export of an organization removed while it waits for the lock is reported as gone and writes no file', async () => {
    const output = join(scratch(), 'products.csv');
    const outcome = await removeWhileHeld(B, (onWait) => exportCsv(db.sql, { profile: imsop, actor: 'test', entity: 'products', tenant: B, output, onWait }));
    expect(outcome).toMatchObject({ error: { code: 'TENANT_GONE' } });
    expect(existsSync(output)).toBe(false);
  });
});
