import type { Sql } from '../../db/connect.js';
import type { Fragment } from '../../csv/sql-parts.js';
import { query } from '../../db/queries.js';
import { TenantctlError } from '../../errors.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import { asKey, idColumns } from './copy-links.js';
import type { StagedTable } from './stage.js';

/** What `--as` changed: the new registry key, and how many rows got new keys per table. */
export interface NewIdentity {
  tenantId: string;
  rekeyed: Record<string, number>;
}

interface SurrogateKey { table_name: string; column_name: string; sequence: string | null }

/** A reference between staged rows: a foreign key, or a declared one a trigger enforces. */
interface Reference { table: string; columns: string[]; parent: string; parentColumns: string[] }

/** The column that ties a staged row to its frozen old values (added to the temporary stage only). */
const ROW = 'tenantctl_row';

const oldOf = (stage: StagedTable): string => `${stage.stage}_old`;

const joinAll = (tx: Sql, parts: Fragment[], glue: 'and' | ','): Fragment =>
  tx`${parts.map((p, i) => (i === 0 ? p : glue === 'and' ? tx` and ${p}` : tx`, ${p}`))}`;

/**
 * A staged row's primary key as the backup has it ("a,b"), after giveNewIdentity gave it new
 * keys: read from the frozen copy of its values. For reports, so that a refused copy names rows
 * as the backup does, not by keys made up for it.
 */
export function backupKeyOf(tx: Sql, stage: StagedTable, primaryKey: readonly string[], alias: string): Fragment {
  const parts = primaryKey.map((c, i) => (i === 0 ? tx`o.${tx(c)}::text` : tx`, o.${tx(c)}::text`));
  return tx`(select concat_ws(',', ${parts}) from ${tx(oldOf(stage))} o where o.${tx(ROW)} = ${tx(alias)}.${tx(ROW)})`;
}

/** Number the staged rows and keep a copy of their values before any key changes. */
async function freeze(tx: Sql, stage: StagedTable): Promise<void> {
  await tx`alter table ${tx(stage.stage)} add column ${tx(ROW)} bigint generated always as identity`;
  await tx`create temporary table ${tx(oldOf(stage))} on commit drop as select * from ${tx(stage.stage)}`;
}

/** A new value from the column's own default (gen_random_uuid(), a sequence) for every staged row. */
async function rekey(tx: Sql, stage: StagedTable, key: SurrogateKey): Promise<number> {
  const next = key.sequence ? tx`nextval(${key.sequence}::regclass)` : tx`default`;
  return (await tx`update ${tx(stage.stage)} set ${tx(key.column_name)} = ${next}`).count;
}

/**
 * Make the child's referencing columns follow the parent's new values: each child row is
 * matched on its OLD values against the parent's OLD values, and takes the parent row's
 * current values. Matching on frozen values makes every step independent of the others, so
 * a composite key — (organization_id, supplier_id), (organization_id, po_number) — gets the
 * new organization and the new supplier in the same row, whichever changed first.
 */
async function follow(tx: Sql, child: StagedTable, parent: StagedTable, ref: Reference): Promise<void> {
  const set = ref.columns.map((c, i) => tx`${tx(c)} = pn.${tx(ref.parentColumns[i]!)}`);
  const match = ref.columns.map((c, i) => tx`po.${tx(ref.parentColumns[i]!)} = co.${tx(c)}`);
  await tx`update ${tx(child.stage)} c set ${joinAll(tx, set, ',')}
    from ${tx(oldOf(child))} co, ${tx(oldOf(parent))} po, ${tx(parent.stage)} pn
    where co.${tx(ROW)} = c.${tx(ROW)} and ${joinAll(tx, match, 'and')} and pn.${tx(ROW)} = po.${tx(ROW)}`;
}

/**
 * `restore-tenant --as`: the staged rows become a new organization next to the ones the
 * database has. In this order, all against the staged rows' frozen old values:
 * 1. every row whose primary key the database fills itself (a default such as
 *    gen_random_uuid(), a serial or identity column, also the one such column of a composite
 *    key like Prometric audit_logs (id, timestamp)) gets a new key, the registry row first;
 * 2. every tenant column (with or without a foreign key) takes the new registry key;
 * 3. every reference between staged rows — single or composite foreign keys, declared
 *    trigger-enforced references — follows the parent row's new values, parents first, and
 *    once more for references that point at a later table (a cycle);
 * 4. every id the profile declares a column holds without a foreign key (a polymorphic
 *    `related_entity_id`, an array of participants) follows the same way, when it is one of
 *    the staged rows' (those pointing outside the copy were cleared before: cross-org.ts).
 * The registry's handle becomes `handle`. Shared people (Prometric users) keep their
 * identity: the copy employs the same people. Natural keys that must be unique across all
 * organizations (a username, a serial number) keep their values: the conflict check reports them.
 */
export async function giveNewIdentity(tx: Sql, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations, tenantId: string, handle: string): Promise<NewIdentity> {
  const keys = new Map((await query<SurrogateKey>(tx, 'backup-pooled/surrogate-keys', [cls.schema])).map((k) => [k.table_name, k]));
  const byTable = new Map(staged.map((s) => [s.table, s]));
  const registry = byTable.get(decl.registry.table);
  if (!registry || keys.get(decl.registry.table)?.column_name !== decl.registry.key) {
    throw new TenantctlError('RESTORE_NO_NEW_KEY', `${decl.registry.table}.${decl.registry.key} has no default the database fills, so --as cannot give the organization a new key. Nothing was changed.`, { hint: 'Restore the organization as itself once it is gone, without --as.' });
  }
  for (const stage of staged) await freeze(tx, stage);
  const changed = new Map(staged.map((s) => [s.table, new Set<string>()]));
  const rekeyed: Record<string, number> = {};
  for (const stage of staged) {
    const t = cls.tables.find((x) => x.table === stage.table)!;
    const key = keys.get(stage.table);
    if (key && t.class !== 'shared-identity') {
      rekeyed[stage.table] = await rekey(tx, stage, key);
      changed.get(stage.table)!.add(key.column_name);
    }
  }
  const [row] = (await tx`select ${tx(decl.registry.key)}::text as id from ${tx(registry.stage)}`) as unknown as [{ id: string }];
  for (const stage of staged) {
    const t = cls.tables.find((x) => x.table === stage.table)!;
    if (t.class !== 'direct' || !t.tenantColumn) continue;
    await tx`update ${tx(stage.stage)} set ${tx(t.tenantColumn)} = ${row.id} where ${tx(t.tenantColumn)}::text = ${tenantId}`;
    changed.get(stage.table)!.add(t.tenantColumn);
  }
  await followReferences(tx, staged, cls, decl, changed);
  await followIds(tx, staged, cls, decl, changed);
  await tx`update ${tx(registry.stage)} set ${tx(decl.registry.handle)} = ${handle}`;
  return { tenantId: row.id, rekeyed };
}

/**
 * Step 4 of giveNewIdentity: each whole-value or array id column (idColumns) takes the new
 * key of the staged row its old value names, matched on frozen values as follow() does,
 * through a map of the parent's old keys to new ones (indexed: one lookup per id). A
 * polymorphic column is done once per table it may name: keys made by gen_random_uuid() name
 * one row of one table.
 */
async function followIds(tx: Sql, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations, changed: Map<string, Set<string>>): Promise<void> {
  const byTable = new Map(staged.map((s) => [s.table, s]));
  const maps = new Map<string, string>();
  for (const id of idColumns(cls, decl)) {
    const child = byTable.get(id.table);
    const parent = byTable.get(id.of);
    if (!child || !parent || !changed.get(id.of)!.has(id.ofKey)) continue;
    const [c, k] = [tx(id.column), tx(id.ofKey)];
    let map = maps.get(id.of);
    if (!map) {
      map = `${parent.stage}_keys`;
      await tx`create temporary table ${tx(map)} on commit drop as
        select po.${k} as old, pn.${k} as new from ${tx(oldOf(parent))} po join ${tx(parent.stage)} pn on pn.${tx(ROW)} = po.${tx(ROW)}`;
      await tx`alter table ${tx(map)} add primary key (old)`;
      await tx`analyze ${tx(map)}`;
      maps.set(id.of, map);
    }
    if (id.array) {
      await tx`update ${tx(child.stage)} c set ${c} = (
          select array_agg(coalesce(m.new, u.e) order by u.n) from unnest(co.${c}) with ordinality u(e, n) left join ${tx(map)} m on m.old = u.e)
        from ${tx(oldOf(child))} co
        where co.${tx(ROW)} = c.${tx(ROW)} and exists (select 1 from unnest(co.${c}) u(e) join ${tx(map)} m on m.old = u.e)`;
    } else {
      await tx`update ${tx(child.stage)} c set ${c} = m.new
        from ${tx(oldOf(child))} co, ${tx(map)} m
        where co.${tx(ROW)} = c.${tx(ROW)} and m.old = ${asKey(tx, id.keyType, tx`co.${c}`)}`;
    }
    changed.get(id.table)!.add(id.column);
  }
}

/** Step 3 of giveNewIdentity: references follow their parents, in staged (parents-first) order, back edges twice. */
async function followReferences(tx: Sql, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations, changed: Map<string, Set<string>>): Promise<void> {
  const refs: Reference[] = [
    ...cls.catalog.foreignKeys,
    ...(decl.virtualReferences ?? []).map((v) => ({ table: v.table, columns: v.columns, parent: v.references.table, parentColumns: v.references.columns })),
  ];
  const index = new Map(staged.map((s, i) => [s.table, i]));
  const byTable = new Map(staged.map((s) => [s.table, s]));
  const run = async (ref: Reference): Promise<void> => {
    const child = byTable.get(ref.table);
    const parent = byTable.get(ref.parent);
    if (!child || !parent || !ref.parentColumns.some((c) => changed.get(ref.parent)!.has(c))) return;
    await follow(tx, child, parent, ref);
    for (const c of ref.columns) changed.get(ref.table)!.add(c);
  };
  const ordered = refs.filter((r) => index.has(r.table)).sort((a, b) => index.get(a.table)! - index.get(b.table)!);
  for (const ref of ordered) await run(ref);
  for (const ref of ordered) if ((index.get(ref.parent) ?? -1) >= index.get(ref.table)!) await run(ref);
}
