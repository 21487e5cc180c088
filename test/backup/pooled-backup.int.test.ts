import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../../src/db/connect.js';
import type { Manifest } from '../../src/backup/manifest.js';
import { classify, tenantRowSets, withRowSecurityOff } from '../../src/pooled/index.js';
import { BUILTIN_PROFILES } from '../../src/tenancy/profiles/index.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';
import { schemaChecksum } from '../tenants/helpers.js';
import { copyBackup, orphanScratch, resealFiles } from './helpers.js';

/**
 * Pooled backups per profile, through the built CLI on the planted crossing datasets:
 * the manifest's rows per organization, verify catching a tampered count, and
 * restore-tenant (export → erase → restore → identical rows, `--as`, refusals that change
 * nothing). The organization restored is the one of each dataset that no other
 * organization's row points at, so its erasure goes through.
 */
const DATA = join(import.meta.dirname, '..', 'profiles', 'data');
const CASES = [
  { profile: 'imsop', dataset: 'imsop-crossing.sql', org: '00000001-0000-4000-8000-0000000000c0', other: '00000001-0000-4000-8000-0000000000b0', erase: [] as string[], as: 'Cobalt Medical Supply (restored)' },
  { profile: 'abparts', dataset: 'abparts-crossing.sql', org: '01cc0000-0000-4000-8000-000000000001', other: '01bb0000-0000-4000-8000-000000000001', erase: ['--shared-rows', 'tombstone'], as: 'Baltic Aqua Services (restored)' },
  { profile: 'prometric', dataset: 'prometric-crossing.sql', org: 'c0000000-0000-4000-8000-000000000000', other: 'b0000000-0000-4000-8000-000000000000', erase: [] as string[], as: '170840099999' },
];

/** Rows of one organization per table (the pooled engine's row sets), as `count:md5` of the rows' text. */
async function orgRows(sql: Sql, profile: string, id: string): Promise<Record<string, string>> {
  const decl = BUILTIN_PROFILES.find((p) => p.name === profile)!.pooled!;
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

/** The counts a copy (`--as`) holds: the backup's, less the rows it reports it left out (they involve another organization). */
const copyCounts = (rows: Record<string, string>, leftOut: { table: string; rows: number }[]): Record<string, number> =>
  Object.fromEntries(Object.entries(counts(rows)).map(([t, n]) => [t, n - (leftOut.find((l) => l.table === t)?.rows ?? 0)] as const).filter(([, n]) => n !== 0));

const client = await backupClientStatus();

describe.skipIf(!client.ok).each(CASES)(client.ok ? '$profile: pooled backup and restore-tenant' : `$profile: pooled backups (${client.reason})`, (c) => {
  let db: TestDatabase;
  let work: string;
  let backup: string;
  let manifest: Manifest;
  let before: Record<string, string>;
  let handle: string;
  /** Prometric audit_logs has the composite primary key (id, timestamp): the organization's ids in the backup. */
  let auditKeys: string[] = [];
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const live = () => schemaChecksum(db.sql, 'public');

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `tenantctl-pooled-backup-${c.profile}-`));
    db = await createTestDatabase(`pb${c.profile.slice(0, 4)}`);
    const up = await cli(['--profile', c.profile, 'migrate', 'up']);
    if (up.code !== 0) throw new Error(up.stderr);
    await loadSqlFile(db.sql, join(DATA, c.dataset));
    before = await orgRows(db.sql, c.profile, c.org);
    if (c.profile === 'prometric') auditKeys = (await db.sql`select id::text from audit_logs where organization_id = ${c.org}`).map((r) => r.id as string);
    backup = join(work, 'b1');
    const created = await cli(['backup', 'create', '--out', backup, '--json']);
    if (created.code !== 0) throw new Error(created.stderr);
    manifest = JSON.parse(await readFile(join(backup, 'manifest.json'), 'utf8')) as Manifest;
    handle = manifest.pooled!.tenants.find((t) => t.id === c.org)!.handle;
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('records every organization\'s rows per table in the manifest, and verify finds the same in the restored copy', async () => {
    expect(manifest.pooled!.profile).toBe(c.profile);
    expect(manifest.pooled!.tenants.find((t) => t.id === c.org)!.rows).toEqual(counts(before));
    const other = manifest.pooled!.tenants.find((t) => t.id === c.other)!;
    expect(other.rows).toEqual(counts(await orgRows(db.sql, c.profile, c.other)));
    const verified = await cli(['backup', 'verify', backup, '--json']);
    expect(verified.code, verified.stderr + verified.stdout).toBe(0);
    const report = JSON.parse(verified.stdout);
    expect(report.checks.find((x: { check: string }) => x.check === 'tenant-rows')).toMatchObject({ status: 'ok' });
  });

  it('verify fails on a count changed in the manifest, even when the manifest is sealed again', async () => {
    const tampered = await copyBackup(backup, join(work, 'tampered'));
    const { readManifest } = await import('../../src/backup/manifest.js');
    const { manifest: m } = await readManifest(tampered);
    const org = m.pooled!.tenants.find((t) => t.id === c.org)!;
    const table = Object.keys(org.rows)[0]!;
    org.rows[table]! += 1;
    await resealFiles(tampered, m);
    const verified = await cli(['backup', 'verify', tampered, '--json']);
    expect(verified.code).toBe(1);
    const faults = JSON.parse(verified.stdout).faults.filter((f: { check: string }) => f.check === 'tenant-rows');
    expect(faults).toEqual([expect.objectContaining({ object: `${handle}.${table}` })]);
    expect(faults[0].message).toContain(`the manifest says ${org.rows[table]}`);
  });

  it('after an erasure: a copy under a new handle and new keys, then the organization as itself with identical rows (only with --force)', async () => {
    const erased = await cli(['tenant', 'erase', c.org, '--yes', '--confirm', c.org, '--reason', 'restore test', ...c.erase, '--json']);
    expect(erased.code, erased.stderr + erased.stdout).toBe(0);
    expect(counts(await orgRows(db.sql, c.profile, c.org))).toEqual({});

    const state = await live();
    const refused = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('BACKUP_TENANT_ERASED');
    expect(await live()).toEqual(state);

    const copied = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--as', c.as, '--force', '--json']);
    expect(copied.code, copied.stderr + copied.stdout).toBe(0);
    const copy = JSON.parse(copied.stdout);
    expect(copy).toMatchObject({ organization: handle, targetHandle: c.as, sameId: false });
    // Rows that point at another organization's rows stay out of the copy (pooled-as-cross-org.int.test.ts covers them).
    expect(counts(await orgRows(db.sql, c.profile, copy.targetId))).toEqual(copyCounts(before, copy.leftOut));
    const [row] = await db.sql`select id::text from organizations where id = ${copy.targetId}`;
    expect(row).toBeDefined();
    if (c.profile === 'prometric') {
      // (id, timestamp): the database-filled half of the composite key is new, the timestamp kept.
      const copied = (await db.sql`select id::text from audit_logs where organization_id = ${copy.targetId}`).map((r) => r.id as string);
      expect(auditKeys.length).toBeGreaterThan(0);
      expect(copied.length).toBe(auditKeys.length);
      expect(copied.filter((id) => auditKeys.includes(id))).toEqual([]);
    }
    // The copy goes again, so the original's natural keys (usernames, document numbers) are free.
    const gone = await cli(['tenant', 'erase', copy.targetId, '--yes', '--confirm', copy.targetId, '--reason', 'restore test', ...c.erase]);
    expect(gone.code, gone.stderr).toBe(0);

    const restored = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--force', '--json']);
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    const result = JSON.parse(restored.stdout);
    expect(result).toMatchObject({ organization: handle, targetId: c.org, sameId: true });
    // ABParts: the erasure re-pointed its orders with Oraseas and its transfers at the placeholder; they come back.
    if (c.profile === 'abparts') expect(Object.keys(result.reclaimed).sort()).toEqual(['customer_order_items', 'customer_orders', 'transactions']);
    else expect(result.reclaimed).toEqual({});
    expect(result.rows).toBe(Object.values(counts(before)).reduce((n, x) => n + x, 0) - Object.values(result.sharedKept as Record<string, number>).reduce((n, x) => n + x, 0));
    expect(await orgRows(db.sql, c.profile, c.org)).toEqual(before);
    expect(await orphanScratch(db.sql)).toEqual([]);
  });

  it('refuses a restore whose rows collide with live rows, naming the table, key and live row, and changes nothing', async () => {
    const taken = manifest.pooled!.tenants.find((t) => t.id === c.other)!.handle;
    const state = await live();
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--as', taken, '--force', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const error = JSON.parse(r.stdout).error;
    expect(error.code).toBe('RESTORE_REFUSED');
    expect(error.details.conflicts).toContainEqual(expect.objectContaining({ kind: 'collision', table: 'organizations', values: taken, liveRow: c.other, liveOwner: c.other }));
    expect(await live()).toEqual(state);

    const itself = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--force']);
    expect(itself.code).toBe(2);
    expect(itself.stderr).toContain('still exists');
    expect(await live()).toEqual(state);
  });

  it('a copy next to the living original: new keys (IMSOP), or a refusal naming the keys unique across organizations', async () => {
    const state = await live();
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--as', c.as, '--force', '--json']);
    if (c.profile === 'imsop') {
      expect(r.code, r.stderr + r.stdout).toBe(0);
      const copy = JSON.parse(r.stdout);
      expect(counts(await orgRows(db.sql, c.profile, copy.targetId))).toEqual(copyCounts(before, copy.leftOut));
      expect(await orgRows(db.sql, c.profile, c.org)).toEqual(before);
      return;
    }
    // ABParts usernames and e-mails, Prometric document numbers are unique across all organizations.
    expect(r.code, r.stderr).toBe(1);
    const conflicts = JSON.parse(r.stdout).error.details.conflicts as { kind: string; table: string; row: string; liveRow: string; liveOwner: string }[];
    const expected = c.profile === 'abparts' ? { table: 'users', columns: ['username'] } : { table: 'payments', columns: ['payment_number'] };
    expect(conflicts).toContainEqual(expect.objectContaining({ kind: 'collision', ...expected, liveOwner: c.org }));
    // Rows are named by their keys in the backup, not the ones the copy would have had: the
    // copy's user (payment) is the backup's row of the living original, whose key it still has.
    const own = conflicts.filter((x) => x.kind === 'collision' && x.table === expected.table && x.liveOwner === c.org);
    for (const x of own) expect(x.row).toBe(x.liveRow);
    expect(JSON.parse(r.stdout).error.hint).not.toMatch(/--as/);
    expect(await live()).toEqual(state);
  });

  it.runIf(c.profile === 'abparts')('a platform singleton is no tenant: never restored, not even as a copy, and nothing changes', async () => {
    const state = await live();
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', 'BossAqua', '--as', 'BossAqua Two', '--json']);
    expect(r.code, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'NOT_A_TENANT', message: expect.stringContaining('platform singleton') });
    expect(await live()).toEqual(state);
    expect((await db.sql`select count(*)::int as n from organizations where organization_type = 'bossaqua'`)[0]!.n).toBe(1);
  });

  it.runIf(c.profile === 'imsop')('holds the organization\'s lock: with --no-wait it exits 75 while another command holds it, changing nothing', async () => {
    const holder = await db.sql.reserve();
    try {
      await holder`select pg_advisory_lock(hashtextextended(${`tenantctl.tenant:${c.org}`}, 0))`;
      const state = await live();
      const r = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--as', 'Cobalt while locked', '--force', '--no-wait', '--json']);
      expect(r.code, r.stderr).toBe(75);
      expect(JSON.parse(r.stdout).error.code).toBe('TENANT_LOCKED');
      expect(await live()).toEqual(state);
      expect(await orphanScratch(db.sql)).toEqual([]);
    } finally {
      holder.release();
    }
  });

  it.runIf(c.profile === 'imsop')('refuses rows that point at a row deleted since the backup (another organization\'s role), changing nothing', async () => {
    const erased = await cli(['tenant', 'erase', c.org, '--yes', '--confirm', c.org, '--reason', 'restore test']);
    expect(erased.code, erased.stderr).toBe(0);
    // Acme's role a2, which Cobalt's user_roles row c9 holds, is deleted after the backup.
    const roleA2 = '00000003-0000-4000-8000-0000000000a2';
    await db.sql`delete from user_roles where role_id = ${roleA2}`;
    await db.sql`delete from role_permissions where role_id = ${roleA2}`;
    await db.sql`delete from roles where id = ${roleA2}`;
    const state = await live();
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--force', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const conflicts = JSON.parse(r.stdout).error.details.conflicts;
    expect(conflicts).toEqual([expect.objectContaining({ kind: 'missing-parent', table: 'user_roles', columns: ['role_id'], values: roleA2, parent: 'roles' })]);
    expect(await live()).toEqual(state);
    const human = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--force']);
    expect(human.stderr).toContain('points at roles');
  });
});
