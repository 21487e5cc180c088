import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * PostgreSQL's default search_path is "$user", public: a schema named after the connecting role
 * comes first (and a database or role may set any path). Pooled provisioning names its tables
 * without a schema; its rows must still land in the pooled schema, never in a same-named table
 * of a schema ahead of it on the path. Here the database's path puts `decoy` first.
 */
describe.each([
  { profile: 'imsop', args: ['Org A', '--owner-email', 'admin@org-a.test'], decoy: 'user_roles (user_id uuid, role_id uuid)', table: 'user_roles' },
  { profile: 'prometric', args: ['111111111111', '--name', 'Alpha', '--owner-email', 'owner@alpha.kz'], decoy: 'audit_logs (id uuid, organization_id uuid, entity_type text, entity_id uuid, action text, user_id uuid, user_email text, new_values jsonb, timestamp timestamptz)', table: 'audit_logs' },
])('$profile: tenant create with another schema first on the search_path', ({ profile, args, decoy, table }) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('spath');
    const up = await runCli(['--profile', profile, 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    if (profile === 'prometric') expect((await runCli(['maintain', '--only', 'partitions'], { url: db.url })).code).toBe(0);
    const [{ name }] = (await db.sql`select current_database() as name`) as unknown as [{ name: string }];
    await db.sql.unsafe(`create schema decoy; create table decoy.${decoy}; alter database "${name}" set search_path = decoy, public`);
  });
  afterAll(async () => db?.drop());

  it(`writes ${table} in the pooled schema, and nothing in the schema ahead of it`, async () => {
    const created = await runCli(['tenant', 'create', ...args, '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const { id } = JSON.parse(created.stdout);
    expect(await db.sql`select count(*)::int as n from decoy.${db.sql(table)}`).toEqual([{ n: 0 }]);
    const own = table === 'user_roles'
      ? await db.sql`select count(*)::int as n from public.user_roles r join public.users u on u.id = r.user_id where u.organization_id = ${id}`
      : await db.sql`select count(*)::int as n from public.audit_logs where organization_id = ${id}`;
    expect(own[0]!.n).toBeGreaterThan(0);
  });

  // IMSOP's products.status is a native enum (Prometric's import needs a workspace column besides).
  it.skipIf(profile !== 'imsop')('imports products (an enum column cast by its bare type name) with public off the path', async () => {
    const [{ name }] = (await db.sql`select current_database() as name`) as unknown as [{ name: string }];
    await db.sql.unsafe(`alter database "${name}" set search_path = decoy`);
    try {
      const handle = args[0]!;
      const file = join(await mkdtemp(join(tmpdir(), 'spath-')), 'p.csv');
      await writeFile(file, 'sku,name,status\nP-1,Pump,active\n');
      const r = await runCli(['import', 'products', file, '--tenant', handle, '--json'], { url: db.url });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 1 });
      // Again with a change: the staged loader, whose statements cast to the enum type.
      await writeFile(file, 'sku,name,status\nP-1,Pump v2,discontinued\n');
      const again = await runCli(['import', 'products', file, '--tenant', handle, '--json'], { url: db.url });
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ updated: 1 });
    } finally {
      await db.sql.unsafe(`alter database "${name}" set search_path = decoy, public`);
    }
  });
});
