import type { Sql } from '../../db/connect.js';
import type { Fragment } from '../../csv/sql-parts.js';
import { TenantctlError } from '../../errors.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import { cols, makeScope, ownerOf, rowKey, tableRef, type Scope } from '../../pooled/scope.js';
import { pkOf } from './conflicts.js';
import { asKey, copyLinks, idColumns, type CopyLink } from './copy-links.js';
import type { StagedTable } from './stage.js';

/** One staged row `--as` did not copy as it was. */
export interface CrossOrgRow {
  /** The row's key in the backup (primary key columns joined by ','; the copy gives kept rows new keys). */
  row: string;
  /**
   * `other-organization`: the row points at a row of another organization (or a platform
   * row, or one no longer in the database); `left-out-parent`: at a row of the backup's
   * organization that was itself left out.
   */
  reason: 'other-organization' | 'left-out-parent';
  columns: string[];
  /** The values the row pointed with, joined by ','. */
  values: string;
  parent: string;
  /** other-organization: the registry key of the organization owning the row pointed at; null: no organization's (a platform row) or gone. */
  owner: string | null;
  /** That organization's handle (name, BIN), when it still exists. */
  ownerHandle: string | null;
  via: string;
  why: string;
}

/** Per table, the rows `--as` left out (or copied with the link cleared). */
export interface CrossOrgTable {
  table: string;
  rows: number;
  entries: CrossOrgRow[];
}

/** What `--as` did about rows that involve other organizations. */
export interface CrossOrgReport {
  /** Rows not copied: they point at another organization's rows, or depend on rows not copied. */
  leftOut: CrossOrgTable[];
  /** Rows copied with an optional link to another organization's row cleared (see copy-links.ts). */
  unlinked: CrossOrgTable[];
}

/** The temporary column that marks a staged row left out (its reason, as JSON); dropped before the copy gets its identity. */
const OUT = 'tenantctl_out';

/**
 * Rows of the platform singletons (ABParts' distributor oraseas_ee and manufacturer bossaqua:
 * the profile's non-erasable registry rows) are no tenant's: every organization of the kind
 * points at them (a supplier's parent, a customer order's distributor, the super admin who
 * invited its first user or acted in its audit log), so the copy keeps those links as the
 * original had them, like links to the global parts catalogue: it adds to no other tenant.
 * One exception: a co-owned link into a platform row that is not the singleton's registry
 * row itself (a transfer into the distributor's warehouse) stays out, since the platform's
 * stock derives from it and the copy would count those units a second time.
 */
function platformRow(s: Scope, decl: PooledDeclarations, link: CopyLink): Fragment {
  const platform = decl.registry.nonErasable;
  const reg = decl.registry;
  if (!platform || (link.coOwned && link.parent !== reg.table)) return s.sql`false`;
  return s.sql`exists (select 1 from ${tableRef(s, link.parent)} l join ${tableRef(s, reg.table)} o on o.${s.sql(reg.key)}::text = ${ownerOf(s, link.parent, 'l')}
                       where ${cols(s, 'l', link.parentColumns)} = ${cols(s, 'c', link.columns)}
                       and o.${s.sql(platform.column)}::text = any(${platform.values}::text[]))`;
}

/** The parts of "row `c` of the link's table points at a row outside the copy, or at a left-out row" (MATCH SIMPLE: a NULL column points at nothing). */
function pointsOut(s: Scope, decl: PooledDeclarations, link: CopyLink, parent: StagedTable | undefined) {
  const set = s.sql`${link.columns.map((c, i) => (i === 0 ? s.sql`c.${s.sql(c)} is not null` : s.sql` and c.${s.sql(c)} is not null`))}`;
  const match = s.sql`${cols(s, 'p', link.parentColumns)} = ${cols(s, 'c', link.columns)}`;
  const outside = s.sql`${parent ? s.sql`not exists (select 1 from ${s.sql(parent.stage)} p where ${match})` : s.sql`true`} and not ${platformRow(s, decl, link)}`;
  const leftOut = parent ? s.sql`exists (select 1 from ${s.sql(parent.stage)} p where ${match} and p.${s.sql(OUT)} is not null)` : s.sql`false`;
  // Who owns the row pointed at, read from the live table (null: a platform row, or gone since the backup).
  const owner = s.sql`(select ${ownerOf(s, link.parent, 'l')} from ${tableRef(s, link.parent)} l where ${cols(s, 'l', link.parentColumns)} = ${cols(s, 'c', link.columns)} limit 1)`;
  const reason = s.sql`jsonb_build_object('reason', case when ${outside} then 'other-organization' else 'left-out-parent' end,
    'columns', ${link.columns}::text[], 'values', ${rowKey(s, link.columns, 'c')}, 'parent', ${link.parent}::text,
    'owner', case when ${outside} then ${owner} end, 'via', ${link.via}::text, 'why', ${link.why}::text)`;
  return { hit: s.sql`${set} and (${outside} or ${leftOut})`, reason };
}

/**
 * Mark rows to leave out until nothing changes: a row pointing outside the copy through a
 * leave-out link, then every row pointing at a marked row (transaction_approvals of a
 * left-out transaction, lines of a left-out order), however deep. Each pass is one UPDATE
 * per link; the passes are as many as the longest chain of dependents, plus one.
 */
async function markLeftOut(s: Scope, decl: PooledDeclarations, staged: readonly StagedTable[], links: readonly CopyLink[]): Promise<void> {
  const byTable = new Map(staged.map((x) => [x.table, x]));
  const active = links.filter((l) => l.treatment === 'leave-out' && byTable.has(l.table));
  for (let changed = true; changed; ) {
    changed = false;
    for (const link of active) {
      const { hit, reason } = pointsOut(s, decl, link, byTable.get(link.parent));
      const r = await s.sql`update ${s.sql(byTable.get(link.table)!.stage)} c set ${s.sql(OUT)} = ${reason} where c.${s.sql(OUT)} is null and ${hit}`;
      if (r.count) changed = true;
    }
  }
}

/** Clear unlink links of the rows that stay, where they point outside the copy or at a left-out row; returns what was cleared. */
async function clearLinks(s: Scope, decl: PooledDeclarations, cls: Classification, staged: readonly StagedTable[], links: readonly CopyLink[]): Promise<Map<string, CrossOrgRow[]>> {
  const byTable = new Map(staged.map((x) => [x.table, x]));
  const cleared = new Map<string, CrossOrgRow[]>();
  for (const link of links.filter((l) => l.treatment === 'unlink' && byTable.has(l.table))) {
    const stage = byTable.get(link.table)!;
    const { hit, reason } = pointsOut(s, decl, link, byTable.get(link.parent));
    const where = s.sql`c.${s.sql(OUT)} is null and ${hit}`;
    const found = (await s.sql`select ${rowKey(s, pkOf(cls, link.table), 'c')} as row, ${reason} as reason from ${s.sql(stage.stage)} c where ${where} order by 1`) as unknown as { row: string; reason: Omit<CrossOrgRow, 'row' | 'ownerHandle'> }[];
    if (!found.length) continue;
    await s.sql`update ${s.sql(stage.stage)} c set ${link.columns.map((col, i) => (i === 0 ? s.sql`${s.sql(col)} = null` : s.sql`, ${s.sql(col)} = null`))} where ${where}`;
    cleared.set(link.table, [...(cleared.get(link.table) ?? []), ...found.map((f) => ({ row: f.row, ...f.reason, ownerHandle: null }))]);
  }
  return cleared;
}

/**
 * Clear the ids a copied row holds without a foreign key (idColumns) that point outside the
 * copy: at a row of the database that is not one of the copy's (another organization's, the
 * original's), or at a row left out. A whole value becomes NULL (or the profile's stand-in for
 * "nobody"); an array loses those elements. Ids that match nothing are kept: they point at
 * nothing either way. Returns what was cleared, as clearLinks does.
 */
async function clearOutsideIds(s: Scope, cls: Classification, decl: PooledDeclarations, staged: readonly StagedTable[]): Promise<Map<string, CrossOrgRow[]>> {
  const byTable = new Map(staged.map((x) => [x.table, x]));
  const cleared = new Map<string, CrossOrgRow[]>();
  for (const id of idColumns(cls, decl).filter((i) => i.clearable && byTable.has(i.table))) {
    const stage = byTable.get(id.table)!;
    const parent = byTable.get(id.of);
    const key = (v: Fragment) => asKey(s.sql, id.keyType, v);
    // The staged rows as uncorrelated IN lists (hashed once per statement), the live table by its key's index.
    const among = (v: Fragment, marked: boolean) => (parent
      ? s.sql`coalesce(${key(v)} in (select p.${s.sql(id.ofKey)} from ${s.sql(parent.stage)} p where p.${s.sql(OUT)} ${marked ? s.sql`is not null` : s.sql`is null`}), false)`
      : s.sql`false`);
    const leftOut = (v: Fragment) => among(v, true);
    const inCopy = (v: Fragment) => among(v, false);
    const live = (v: Fragment) => s.sql`exists (select 1 from ${tableRef(s, id.of)} l where l.${s.sql(id.ofKey)} = ${key(v)})`;
    const outside = (v: Fragment) => s.sql`(not ${inCopy(v)} and (${leftOut(v)} or ${live(v)}))`;
    const e = s.sql`u.e`;
    const value = s.sql`c.${s.sql(id.column)}`;
    const hits = id.array ? s.sql`(select array_agg(u.e::text order by u.n) from unnest(${value}) with ordinality u(e, n) where ${outside(e)})` : s.sql`array[${value}::text]`;
    const where = s.sql`c.${s.sql(OUT)} is null and ${value} is not null and ${id.array ? s.sql`exists (select 1 from unnest(${value}) u(e) where ${outside(e)})` : outside(value)}`;
    // The first id pointed at stands for the row in the report: its owner and whether it was left out.
    const first = s.sql`(${hits})[1]`;
    const owner = s.sql`(select ${ownerOf(s, id.of, 'l')} from ${tableRef(s, id.of)} l where l.${s.sql(id.ofKey)} = ${key(first)} limit 1)`;
    const found = (await s.sql`select ${rowKey(s, pkOf(cls, id.table), 'c')} as row, array_to_string(${hits}, ',') as values,
        case when ${leftOut(first)} then 'left-out-parent' else 'other-organization' end as reason,
        case when not ${leftOut(first)} then ${owner} end as owner
      from ${s.sql(stage.stage)} c where ${where} order by 1`) as unknown as { row: string; values: string; reason: CrossOrgRow['reason']; owner: string | null }[];
    if (!found.length) continue;
    const clearedValue = id.array
      ? s.sql`array(select u.e from unnest(${value}) with ordinality u(e, n) where not ${outside(e)} order by u.n)`
      : id.replaceWith === undefined ? s.sql`null` : s.sql`${id.replaceWith}`;
    await s.sql`update ${s.sql(stage.stage)} c set ${s.sql(id.column)} = ${clearedValue} where ${where}`;
    const via = `ids of ${id.of} held in ${id.table}.${id.column} (no foreign key; declared by the profile)`;
    const why = id.array ? 'the ids of rows outside the copy are taken out of the list' : 'an id of a row outside the copy, held without a foreign key: cleared, as an erasure of that row\'s organization would clear it';
    cleared.set(id.table, [...(cleared.get(id.table) ?? []), ...found.map((f) => ({ row: f.row, reason: f.reason, columns: [id.column], values: f.values, parent: id.of, owner: f.owner, ownerHandle: null, via, why }))]);
  }
  return cleared;
}

/** Take the marked rows out of each stage (and the marker column off), returning them per table. */
async function removeMarked(s: Scope, cls: Classification, staged: StagedTable[]): Promise<Map<string, CrossOrgRow[]>> {
  const removed = new Map<string, CrossOrgRow[]>();
  for (const stage of staged) {
    const rows = (await s.sql`delete from ${s.sql(stage.stage)} c where c.${s.sql(OUT)} is not null returning ${rowKey(s, pkOf(cls, stage.table), 'c')} as row, c.${s.sql(OUT)} as reason`) as unknown as { row: string; reason: Omit<CrossOrgRow, 'row' | 'ownerHandle'> }[];
    await s.sql`alter table ${s.sql(stage.stage)} drop column ${s.sql(OUT)}`;
    if (!rows.length) continue;
    stage.rows -= rows.length;
    removed.set(stage.table, rows.map((r) => ({ row: r.row, ...r.reason, ownerHandle: null })).sort((a, b) => (a.row < b.row ? -1 : a.row > b.row ? 1 : 0)));
  }
  return removed;
}

/** The other organizations' handles, for people (one query for all of them). */
async function nameOwners(s: Scope, decl: PooledDeclarations, groups: Map<string, CrossOrgRow[]>[]): Promise<void> {
  const rows = groups.flatMap((g) => [...g.values()].flat());
  const ids = [...new Set(rows.map((r) => r.owner).filter((o): o is string => o !== null))];
  if (!ids.length) return;
  const reg = decl.registry;
  const found = (await s.sql`select ${s.sql(reg.key)}::text as id, ${s.sql(reg.handle)}::text as handle from ${tableRef(s, reg.table)} where ${s.sql(reg.key)}::text = any(${ids}::text[])`) as unknown as { id: string; handle: string }[];
  const handles = new Map(found.map((f) => [f.id, f.handle]));
  for (const r of rows) r.ownerHandle = r.owner === null ? null : handles.get(r.owner) ?? null;
}

/** Both reports of rows copied without a link, per table. */
function merge(a: Map<string, CrossOrgRow[]>, b: Map<string, CrossOrgRow[]>): Map<string, CrossOrgRow[]> {
  for (const [table, rows] of b) a.set(table, [...(a.get(table) ?? []), ...rows]);
  return a;
}

/** Per table in the staged (parents-first) order. */
const perTable = (staged: readonly StagedTable[], rows: Map<string, CrossOrgRow[]>): CrossOrgTable[] =>
  staged.filter((x) => rows.has(x.table)).map((x) => ({ table: x.table, rows: rows.get(x.table)!.length, entries: rows.get(x.table)! }));

function registryLeftOut(org: { handle: string; id: string }, decl: PooledDeclarations, rows: CrossOrgRow[]): TenantctlError {
  const r = rows[0]!;
  return new TenantctlError('RESTORE_COPY_CROSSES', `Organization ${org.handle} cannot be copied with --as: its own ${decl.registry.table} row points at another organization (${r.columns.join(', ')} = ${r.values}${r.ownerHandle ? `, ${r.ownerHandle}` : ''}, ${r.via}), so the copy would belong to that organization's hierarchy. Nothing was changed.`, {
    hint: 'Restore the organization as itself once it is gone (without --as).',
    details: { organization: org.handle, tenantId: org.id, registry: rows },
  });
}

/**
 * `restore-tenant --as`, before the copy gets its new identity: the copy must not point at,
 * be owned by, or be visible to any other organization. Every staged row pointing at a row
 * of another organization (one that is not in the backup's row set, and not a global or
 * shared-identity row) through a foreign key, a declared virtual reference or a second
 * registry column is left out of the copy, and so is every staged row that depends on a
 * left-out row, transitively; optional links the profile's erasure rules would clear are
 * cleared instead (see copy-links.ts). Runs on the staged rows' backup values, in the
 * restore's transaction; returns the report. Refuses (nothing changes) when the
 * organization's own registry row would be left out: there would be no copy.
 */
export async function leaveOutCrossOrgRows(tx: Sql, staged: StagedTable[], cls: Classification, decl: PooledDeclarations, org: { handle: string; id: string }): Promise<CrossOrgReport> {
  const s = makeScope(tx, cls, '', decl.sharedIdentity, 'export');
  const links = copyLinks(cls, decl);
  for (const stage of staged) await tx`alter table ${tx(stage.stage)} add column ${tx(OUT)} jsonb`;
  await markLeftOut(s, decl, staged, links);
  const unlinked = merge(await clearLinks(s, decl, cls, staged, links), await clearOutsideIds(s, cls, decl, staged));
  const leftOut = await removeMarked(s, cls, staged);
  await nameOwners(s, decl, [leftOut, unlinked]);
  const registry = leftOut.get(decl.registry.table);
  if (registry) throw registryLeftOut(org, decl, registry);
  return { leftOut: perTable(staged, leftOut), unlinked: perTable(staged, unlinked) };
}
