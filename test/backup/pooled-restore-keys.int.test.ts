import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../../src/db/connect.js';
import type { Manifest } from '../../src/backup/manifest.js';
import { classify, tenantRowSets, withRowSecurityOff } from '../../src/pooled/index.js';
import { resolveConnection } from '../../src/db/config.js';
import { BUILTIN_PROFILES } from '../../src/tenancy/profiles/index.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';
import { orphanScratch } from './helpers.js';

/**
 * restore-tenant on a pooled schema with composite keys, which no seed has: the same-tenant
 * foreign keys POOLED.md recommends for IMSOP ((organization_id, supplier_id) → suppliers
 * (organization_id, id), NOT VALID as POOLED.md says for data that crosses tenants already), a table reached only through a composite natural key
 * ((organization_id, po_number) → purchase_orders) and a table whose primary key is
 * (organization_id, shipment_id, line_no) with nothing the database fills. `--as` must give
 * every one of those keys the copy's identity; restoring as itself must bring them back.
 */
const DATA = join(import.meta.dirname, '..', 'profiles', 'data');
const COBALT = '00000001-0000-4000-8000-0000000000c0';
const ACME = '00000001-0000-4000-8000-0000000000a0';
const COBALT_SHIPMENTS = ['0000000e-0000-4000-8000-0000000000c1', '0000000e-0000-4000-8000-0000000000c9'];

const COMPOSITE_SCHEMA = `
  set search_path = public;
  alter table suppliers add constraint suppliers_org_id_key unique (organization_id, id);
  alter table shipments add constraint shipments_org_id_key unique (organization_id, id);
  alter table purchase_orders add constraint purchase_orders_same_org_supplier
    foreign key (organization_id, supplier_id) references suppliers (organization_id, id) not valid;
  create table po_notes (
    id uuid primary key default gen_random_uuid(),
    organization_id uuid not null,
    po_number varchar(100) not null,
    note text not null,
    foreign key (organization_id, po_number) references purchase_orders (organization_id, po_number)
  );
  create table shipment_documents (
    organization_id uuid not null,
    shipment_id uuid not null,
    line_no int not null,
    title text not null,
    primary key (organization_id, shipment_id, line_no),
    foreign key (organization_id, shipment_id) references shipments (organization_id, id)
  );
  insert into po_notes (organization_id, po_number, note) values
    ('${COBALT}', 'PO-COB-0001', 'Confirmed by phone'),
    ('${COBALT}', 'PO-COB-0001', 'Split delivery agreed');
  insert into po_notes (organization_id, po_number, note)
    select organization_id, po_number, 'Another organization''s note' from purchase_orders where organization_id <> '${COBALT}' order by id limit 1;
  insert into shipment_documents values
    ('${COBALT}', '${COBALT_SHIPMENTS[0]}', 1, 'Packing list'),
    ('${COBALT}', '${COBALT_SHIPMENTS[0]}', 2, 'Delivery note'),
    ('${COBALT}', '${COBALT_SHIPMENTS[1]}', 1, 'Transfer note');
  insert into shipment_documents
    select organization_id, id, 1, 'Another organization''s document' from shipments where organization_id <> '${COBALT}' order by id limit 1;
`;

/** Rows of one organization per table (the pooled engine's row sets), as `count:md5` of the rows' text. */
async function orgRows(sql: Sql, id: string): Promise<Record<string, string>> {
  const decl = BUILTIN_PROFILES.find((p) => p.name === 'imsop')!.pooled!;
  return withRowSecurityOff(sql, async (tx) => {
    const cls = await classify(tx as unknown as Sql, decl);
    const out: Record<string, string> = {};
    for (const set of tenantRowSets(tx, decl, cls, id)) {
      const [row] = (await tx`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as m from (${set.select}) x`) as unknown as [{ n: number; m: string }];
      out[set.table] = `${row.n}:${row.m}`;
    }
    return out;
  });
}

const counts = (rows: Record<string, string>): Record<string, number> =>
  Object.fromEntries(Object.entries(rows).map(([t, v]) => [t, Number(v.split(':')[0])]).filter(([, n]) => n !== 0));

const client = await backupClientStatus();

describe.skipIf(!client.ok)('imsop with composite keys: restore-tenant', () => {
  let db: TestDatabase;
  let work: string;
  let backup: string;
  let before: Record<string, string>;
  let handle: string;
  const cli = (args: string[]) => runCli(args, { url: db.url });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-pooled-keys-'));
    db = await createTestDatabase('pbkeys');
    const up = await cli(['--profile', 'imsop', 'migrate', 'up']);
    if (up.code !== 0) throw new Error(up.stderr);
    await loadSqlFile(db.sql, join(DATA, 'imsop-crossing.sql'));
    await db.sql.unsafe(COMPOSITE_SCHEMA);
    before = await orgRows(db.sql, COBALT);
    backup = join(work, 'b1');
    const created = await cli(['backup', 'create', '--out', backup, '--json']);
    if (created.code !== 0) throw new Error(created.stderr);
    const manifest = JSON.parse(await readFile(join(backup, 'manifest.json'), 'utf8')) as Manifest;
    handle = manifest.pooled!.tenants.find((t) => t.id === COBALT)!.handle;
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('the backup holds the composite-key rows of the organization, and only its own', () => {
    expect(counts(before)).toMatchObject({ po_notes: 2, shipment_documents: 3 });
  });

  it('--as next to the living original: every composite key and every row referencing one carries the copy\'s identity', async () => {
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--as', 'Cobalt Medical Supply (copy)', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const result = JSON.parse(r.stdout) as { targetId: string; leftOut: { table: string; rows: number }[] };
    const copy = result.targetId;
    expect(copy).not.toBe(COBALT);
    // Rows that point at another organization's rows stay out of the copy (pooled-as-cross-org.int.test.ts covers them).
    const kept = Object.fromEntries(Object.entries(counts(before)).map(([t, n]) => [t, n - (result.leftOut.find((l) => l.table === t)?.rows ?? 0)]).filter(([, n]) => n !== 0));
    expect(counts(await orgRows(db.sql, copy))).toEqual(kept);
    expect(await orgRows(db.sql, COBALT)).toEqual(before);

    // (organization_id, po_number): the notes hang on the copy's purchase order, not on the original's.
    const notes = await db.sql`select n.organization_id::text as org, p.id::text as po from po_notes n
      join purchase_orders p on (p.organization_id, p.po_number) = (n.organization_id, n.po_number) where n.note in ('Confirmed by phone', 'Split delivery agreed') order by 1, 2`;
    const originalPo = '0000000c-0000-4000-8000-0000000000c1';
    expect(notes.map((n) => n.org).sort()).toEqual([COBALT, COBALT, copy, copy].sort());
    expect(notes.filter((n) => n.org === copy).every((n) => n.po !== originalPo)).toBe(true);

    // (organization_id, supplier_id): the copy's order names the copy's supplier.
    const orders = await db.sql`select s.organization_id::text as supplier_org, s.id::text as supplier from purchase_orders p join suppliers s on s.id = p.supplier_id where p.organization_id = ${copy}`;
    expect(orders.length).toBe(1);
    expect(orders[0]).toMatchObject({ supplier_org: copy });

    // (organization_id, shipment_id, line_no) with no database-filled column: new organization, new shipments, same line numbers.
    const docs = await db.sql`select d.shipment_id::text as shipment, d.line_no, s.organization_id::text as shipment_org from shipment_documents d
      join shipments s on s.id = d.shipment_id where d.organization_id = ${copy} order by d.title`;
    expect(docs.map((d) => d.line_no)).toEqual([2, 1, 1]);
    expect(docs.every((d) => d.shipment_org === copy && !COBALT_SHIPMENTS.includes(d.shipment))).toBe(true);
    expect(new Set(docs.map((d) => d.shipment)).size).toBe(2);
  });

  it('after an erasure, restored as itself: identical rows in every table, composite-key tables included', async () => {
    const erased = await cli(['tenant', 'erase', COBALT, '--yes', '--confirm', COBALT, '--reason', 'restore test']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(counts(await orgRows(db.sql, COBALT))).toEqual({});
    const acme = await orgRows(db.sql, ACME);
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--force', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(await orgRows(db.sql, COBALT)).toEqual(before);
    expect(await orgRows(db.sql, ACME)).toEqual(acme);
    expect(await orphanScratch(db.sql)).toEqual([]);
  });

  it('the same rows when the server filters every linked table (no link keys held in memory)', async () => {
    const erased = await cli(['tenant', 'erase', COBALT, '--yes', '--confirm', COBALT, '--reason', 'restore test']);
    expect(erased.code, erased.stderr).toBe(0);
    const profile = BUILTIN_PROFILES.find((p) => p.name === 'imsop')!;
    const live = await resolveConnection({ databaseUrl: db.url, env: {}, cwd: process.cwd() });
    // The built module, as the CLI runs it: pg_restore runs under dist/backup/tool-guard.js, which only the build makes.
    const { restorePooledTenant } = (await import('../../dist/backup/pooled/restore.js')) as typeof import('../../src/backup/pooled/restore.js');
    const result = await restorePooledTenant(db.sql, live, profile, { path: backup, tenant: handle, force: true, env: process.env, now: () => new Date(), keysInMemory: 0 });
    expect(result.targetId).toBe(COBALT);
    expect(await orgRows(db.sql, COBALT)).toEqual(before);
    expect(await orphanScratch(db.sql)).toEqual([]);
  });
});
