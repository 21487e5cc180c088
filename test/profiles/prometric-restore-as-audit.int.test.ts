import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { loadSqlFile } from './load-profile-sql.js';

const CROSSING = join(import.meta.dirname, 'data', 'prometric-crossing.sql');
const ORG_B = 'b0000000-0000-4000-8000-000000000000';
const BIN_B = '190540098765';
const CUSTOMER_B = 'b0600000-0000-4000-8000-000000000001';
const client = await backupClientStatus();

/**
 * Prometric audit_logs.entity_id is polymorphic (entity_type says which table) and has no
 * foreign key: a copy made by `restore-tenant --as` gives the organization's customers new
 * keys, so its audit rows about them must name the new keys, as IMSOP's analytics_events do; an
 * erasure clears another tenant's (or the platform's) audit row naming the erased organization.
 */
describe.skipIf(!client.ok)('prometric: restore-tenant --as re-points the copied audit rows at the copy\'s rows', () => {
  let db: TestDatabase;
  let work: string;
  const cli = (args: string[]) => runCli(args, { url: db.url });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-prometric-audit-as-'));
    db = await createTestDatabase('prometric_audit_as');
    const up = await cli(['--profile', 'prometric', 'migrate', 'up']);
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, CROSSING);
    await db.sql`insert into audit_logs (id, organization_id, workspace_id, entity_type, entity_id, action, user_id, source, timestamp)
      values ('b2400000-0000-4000-8000-000000000009', ${ORG_B}, 'b0100000-0000-4000-8000-000000000001', 'customers', ${CUSTOMER_B}, 'UPDATE', 'e0000000-0000-4000-8000-000000000001', 'web', '2025-03-20 10:00:00'),
             ('f2400000-0000-4000-8000-000000000009', null, null, 'organizations', ${ORG_B}, 'UPDATE', 'e0000000-0000-4000-8000-000000000006', 'api', '2025-03-21 10:00:00')`;
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('the copy\'s audit rows about its customer and about the organization name the copy\'s keys', async () => {
    const backup = join(work, 'b');
    const created = await cli(['backup', 'create', '--out', backup]);
    expect(created.code, created.stderr).toBe(0);
    const erased = await cli(['tenant', 'erase', BIN_B, '--yes', '--confirm', BIN_B, '--reason', 'test']);
    expect(erased.code, erased.stderr + erased.stdout).toBe(0);
    // The platform's audit row about the erased organization stays, naming nobody (the post-scan above was clean).
    expect((await db.sql`select entity_id::text from audit_logs where id = 'f2400000-0000-4000-8000-000000000009'`)[0]!.entity_id).toBe('00000000-0000-0000-0000-000000000000');
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', BIN_B, '--as', '190540011111', '--force', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const copy = JSON.parse(r.stdout).targetId as string;
    expect(copy).not.toBe(ORG_B);
    const [customer] = await db.sql`select id::text from customers where organization_id = ${copy} and customer_number = 'SP-C-0001'`;
    expect(customer!.id).not.toBe(CUSTOMER_B);
    const audit = await db.sql`select entity_type, entity_id::text from audit_logs where organization_id = ${copy} and entity_type in ('customers', 'organizations') order by entity_type`;
    expect(audit).toEqual([{ entity_type: 'customers', entity_id: customer!.id }, { entity_type: 'organizations', entity_id: copy }]);
  });
});
