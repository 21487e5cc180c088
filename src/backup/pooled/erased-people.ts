import type { ConnectionConfig } from '../../db/config.js';
import type { Pool, Sql } from '../../db/connect.js';
import { query } from '../../db/queries.js';
import { TenantctlError } from '../../errors.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import { erasedValuesIn } from '../../pooled/post-scan.js';
import { fullNameOf, searchableName } from '../../pooled/names.js';
import { folded, readFold } from '../../pooled/fold.js';
import type { Manifest } from '../manifest.js';
import type { PgTool } from '../tools.js';
import { receiptsKept } from '../refuse-erased.js';
import { createScratch } from '../scratch.js';
import type { PooledTenantRows } from './counts.js';
import { ROWS_SCHEMA, setAsideRows, type ScratchCopy } from './scratch-rows.js';
import type { PooledManifest } from './section.js';
import type { StagedTable } from './stage.js';

/**
 * Organizations of a backup erased since it was taken, and what identified their people then.
 * An erasure nulls and scrubs the other organizations' rows that named its people (a user id
 * in an event, an e-mail in JSON); the backup still has those rows as they were, so a restore
 * of ANOTHER organization from it would bring the erased people back. `values`/`names` exist
 * only for the check below, in this process: never printed or stored.
 */
export interface ErasedSince {
  ids: string[];
  values: string[];
  names: string[];
}

type PooledBackup = Manifest & { pooled: PooledManifest };

/** The backup's organizations (other than `restored`) that have an erasure receipt. */
export async function erasedSinceBackup(sql: Sql, manifest: PooledBackup, restored: PooledTenantRows): Promise<string[]> {
  if (!(await receiptsKept(sql))) return [];
  const others = manifest.pooled.tenants.map((t) => t.id).filter((id) => id !== restored.id);
  return (await query<{ id: string }>(sql, 'backup-pooled/erased-since', [others])).map((r) => r.id);
}

/** Each person of the set-aside organization: their keys, e-mails and full names as the erasure looks for them. */
async function identifiersOf(copy: ScratchCopy, decl: PooledDeclarations): Promise<{ values: string[]; names: string[] }> {
  const where = (table: string) => copy.tables.find((t) => t.table === table);
  const values: string[] = [];
  const names: string[] = [];
  // Folded as the erasure folds them (fold.ts): the scratch database has the live one's locale.
  const fold = await readFold(copy.sql);
  for (const p of decl.people ?? []) {
    const rows = where(p.table);
    if (!rows) continue;
    const key = copy.cls.catalog.tables.find((t) => t.name === p.table)?.primaryKey[0] ?? 'id';
    const found = (await copy.sql`select ${copy.sql(key)}::text as k, ${folded(copy.sql, fold, copy.sql`btrim(${copy.sql(p.emailColumn)}::text)`)} as e from ${copy.sql(ROWS_SCHEMA)}.${copy.sql(rows.name)}`) as unknown as { k: string; e: string | null }[];
    for (const r of found) values.push(r.k, ...(r.e ? [r.e] : []));
  }
  for (const n of decl.names ?? []) {
    const rows = where(n.table);
    if (!rows) continue;
    const found = (await copy.sql`select distinct ${fullNameOf(copy.sql, null, n.columns)} as n from ${copy.sql(ROWS_SCHEMA)}.${copy.sql(rows.name)}`) as unknown as { n: string }[];
    names.push(...found.map((r) => r.n).filter(searchableName));
  }
  return { values, names };
}

/**
 * What identified the people of each organization in `ids` when the backup was taken: their
 * rows are set aside from the backup (setAsideRows, one scratch database each, dropped after).
 * Rare (only when an organization of the backup was erased since) and as costly as the
 * restore's own setting aside, once per such organization.
 */
export async function erasedPeopleOf(sql: Pool, live: ConnectionConfig, tools: { pgRestore: PgTool }, path: string, manifest: PooledBackup, ids: string[], run: { env: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<ErasedSince> {
  const out: ErasedSince = { ids, values: [...ids], names: [] };
  for (const id of ids) {
    const scratch = await createScratch(sql, live, { purpose: 'the restore (the people of an organization erased since the backup are looked up there)', instead: 'run restore-tenant as a user that has it' });
    let copy: ScratchCopy | undefined;
    try {
      copy = await setAsideRows(tools, path, manifest, id, scratch.connection, run);
      const found = await identifiersOf(copy, manifest.pooled.declarations);
      out.values.push(...found.values);
      out.names.push(...found.names);
    } finally {
      await copy?.sql.end({ timeout: 5 });
      await scratch.drop();
    }
  }
  return { ids, values: [...new Set(out.values)], names: [...new Set(out.names)] };
}

/** Of `erased`, what still identifies someone in the live database (a person the erasure kept: employed by another organization too). */
async function stillLive(tx: Sql, schema: string, decl: PooledDeclarations, cls: Classification, erased: ErasedSince): Promise<Set<string>> {
  const live = new Set<string>();
  const fold = await readFold(tx);
  for (const p of decl.people ?? []) {
    const key = cls.catalog.tables.find((t) => t.name === p.table)?.primaryKey[0] ?? 'id';
    const email = folded(tx, fold, tx`btrim(x.${tx(p.emailColumn)}::text)`);
    // One pass each, the values a hashed list: whatever the number of people and values.
    const rows = (await tx`select x.${tx(key)}::text as v from ${tx(schema)}.${tx(p.table)} x where x.${tx(key)}::text = any(${erased.values}::text[])
      union select ${email} from ${tx(schema)}.${tx(p.table)} x where ${email} = any(${erased.values}::text[])`) as unknown as { v: string }[];
    for (const r of rows) live.add(r.v);
  }
  for (const n of decl.names ?? []) {
    const rows = (await tx`select distinct y.v from (select ${fullNameOf(tx, 'x', n.columns)} as v from ${tx(schema)}.${tx(n.table)} x) y where y.v = any(${erased.names}::text[])`) as unknown as { v: string }[];
    for (const r of rows) live.add(r.v);
  }
  return live;
}

/**
 * Under the restored organization's lock, in the restore's transaction, with its rows staged:
 * refuse when they still name a person of an organization erased since the
 * backup, or the organization itself. An erasure that committed after `erased` was read is
 * refused too: its people were not looked up.
 */
export async function refuseErasedPeople(tx: Sql, manifest: PooledBackup, restored: PooledTenantRows, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations, erased: ErasedSince): Promise<void> {
  // No --force here: that flag answers for the restored organization's own erasure, with a
  // documented reason; it can say nothing for another organization's people.
  const now = await erasedSinceBackup(tx, manifest, restored);
  const unseen = now.filter((id) => !erased.ids.includes(id));
  if (unseen.length) {
    throw new TenantctlError('RESTORE_ERASURE_MEANWHILE', `Organization ${restored.handle} was not restored: organization ${unseen.join(', ')} of the same backup was erased while the restore ran. Nothing was changed.`, { hint: 'Run the restore again: it then looks for that organization\'s people too.' });
  }
  if (!erased.ids.length) return;
  const live = await stillLive(tx, manifest.pooled.schema, decl, cls, erased);
  const values = erased.values.filter((v) => !live.has(v));
  const names = erased.names.filter((n) => !live.has(n));
  const hits = await erasedValuesIn(tx, cls, decl, staged.map((s) => ({ table: s.table, schema: 'pg_temp', name: s.stage })), values, names);
  if (!hits.length) return;
  const where = hits.map((h) => `${h.table}.${h.column} (${h.rows} row${h.rows === 1 ? '' : 's'})`).join(', ');
  throw new TenantctlError('RESTORE_NAMES_ERASED', `Organization ${restored.handle} was not restored: its rows in backup ${manifest.id} (taken ${manifest.createdAt}) still name people of organization ${erased.ids.join(', ')}, erased since on request, in ${where}. Restoring them would bring back data deleted on request. Nothing was changed.`, {
    hint: 'Restore the whole backup into an empty database of your own (`tenantctl backup verify <backup> --target-url <url>` keeps it), erase those organizations there too, back it up and restore from that. --force does not override this: it answers only for the restored organization\'s own erasure.',
    details: { organization: restored.handle, tenantId: restored.id, erased: erased.ids, found: hits },
  });
}
