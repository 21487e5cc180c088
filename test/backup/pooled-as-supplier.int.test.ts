import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import type { TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { crossingDatabase } from './helpers.js';

const client = await backupClientStatus();
/** abparts-crossing.sql: a supplier under the distributor (a platform row), and one under a customer. */
const UNDER_DISTRIBUTOR = '01500000-0000-4000-8000-000000000001';
const UNDER_CUSTOMER = '015a0000-0000-4000-8000-000000000001';
const ORASEAS = '010e0000-0000-4000-8000-000000000001';

/**
 * `restore-tenant --as` of an ABParts supplier: the copy's own registry row keeps a parent
 * that is the platform's distributor (every supplier has a parent; oraseas_ee is declared as
 * no command's to erase), but a parent that is another customer organization refuses the copy:
 * it would add a supplier to that customer.
 */
describe.skipIf(!client.ok)(client.ok ? 'abparts: restore-tenant --as of a supplier' : `abparts --as of a supplier (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-as-supplier-'));
    db = await crossingDatabase('pasup', 'abparts');
    const created = await cli(['backup', 'create', '--out', join(work, 'b'), '--json']);
    if (created.code !== 0) throw new Error(created.stderr);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a copy of a supplier whose parent is a customer organization, changing nothing', async () => {
    const before = await db.sql`select count(*)::int as n from organizations`;
    const r = await cli(['backup', 'restore-tenant', join(work, 'b'), '--tenant', UNDER_CUSTOMER, '--as', 'Copied Local Supplies', '--json']);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'RESTORE_COPY_CROSSES', message: expect.stringContaining('parent_organization_id') });
    expect(await db.sql`select count(*)::int as n from organizations`).toEqual(before);
  });

  it('copies a supplier under the distributor, under the same distributor', async () => {
    // Its usernames and e-mails must be free for the copy: the original goes first (so the copy needs --force).
    const erased = await cli(['tenant', 'erase', UNDER_DISTRIBUTOR, '--yes', '--confirm', UNDER_DISTRIBUTOR, '--reason', 'as supplier test', '--json']);
    expect(erased.code, erased.stderr + erased.stdout).toBe(0);
    const r = await cli(['backup', 'restore-tenant', join(work, 'b'), '--tenant', UNDER_DISTRIBUTOR, '--as', 'Tallinn Hydraulics Copy', '--force', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const [copy] = await db.sql`select organization_type::text as type, parent_organization_id::text as parent from organizations where name = 'Tallinn Hydraulics Copy'`;
    expect(copy).toEqual({ type: 'supplier', parent: ORASEAS });
  });
});
