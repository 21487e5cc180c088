import type { Sql } from '../../db/connect.js';
import { query } from '../../db/queries.js';
import { TenantctlError } from '../../errors.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import type { StagedTable } from './stage.js';

/** What `--as` changed: the new registry key, and how many rows got new keys per table. */
export interface NewIdentity {
  tenantId: string;
  rekeyed: Record<string, number>;
}

interface SurrogateKey { table_name: string; column_name: string; sequence: string | null }

/**
 * Give every staged row whose primary key the database fills itself (a default such as
 * gen_random_uuid(), a serial or identity column) a new key, and keep old → new in a map
 * table. RETURNING reads the old key from the self-joined FROM row: no column is added.
 */
async function rekey(tx: Sql, stage: StagedTable, key: SurrogateKey): Promise<{ map: string; rows: number }> {
  const map = `${stage.stage}_keys`;
  const k = tx(key.column_name);
  await tx`create temporary table ${tx(map)} on commit drop as select ${k} as old_key, ${k} as new_key from ${tx(stage.stage)} limit 0`;
  const next = key.sequence ? tx`nextval(${key.sequence}::regclass)` : tx`default`;
  const moved = await tx`with moved as (
      update ${tx(stage.stage)} s set ${k} = ${next} from ${tx(stage.stage)} o where o.ctid = s.ctid
      returning o.${k} as old_key, s.${k} as new_key)
    insert into ${tx(map)} select old_key, new_key from moved`;
  return { map, rows: moved.count };
}

/**
 * `restore-tenant --as`: the staged rows become a new organization next to the ones the
 * database has. The registry row and every row with a database-filled key get new keys;
 * every foreign key between staged rows, and every tenant column (with or without a foreign
 * key), follows them; the registry's handle becomes `handle`. Shared people (Prometric
 * users) keep their identity: the copy employs the same people. Natural keys that must be
 * unique (a username, a serial number) keep their values: the conflict check reports them.
 */
export async function giveNewIdentity(tx: Sql, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations, tenantId: string, handle: string): Promise<NewIdentity> {
  const keys = new Map((await query<SurrogateKey>(tx, 'backup-pooled/surrogate-keys', [cls.schema])).map((k) => [k.table_name, k]));
  const classOf = new Map(cls.tables.map((t) => [t.table, t.class]));
  const maps = new Map<string, { column: string; map: string }>();
  const rekeyed: Record<string, number> = {};
  for (const stage of staged) {
    const key = keys.get(stage.table);
    if (!key || classOf.get(stage.table) === 'shared-identity') continue;
    const { map, rows } = await rekey(tx, stage, key);
    maps.set(stage.table, { column: key.column_name, map });
    rekeyed[stage.table] = rows;
  }
  const registry = maps.get(decl.registry.table);
  if (!registry || registry.column !== decl.registry.key) {
    throw new TenantctlError('RESTORE_NO_NEW_KEY', `${decl.registry.table}.${decl.registry.key} has no default the database fills, so --as cannot give the organization a new key. Nothing was changed.`, { hint: 'Restore the organization as itself once it is gone, without --as.' });
  }
  const [row] = (await tx`select new_key::text as id from ${tx(registry.map)} where old_key::text = ${tenantId}`) as unknown as [{ id: string }];
  const byTable = new Map(staged.map((s) => [s.table, s]));
  const follow = async (child: string, column: string, parent: string): Promise<void> => {
    const stage = byTable.get(child);
    const target = maps.get(parent);
    if (!stage || !target) return;
    await tx`update ${tx(stage.stage)} c set ${tx(column)} = m.new_key from ${tx(target.map)} m where c.${tx(column)} = m.old_key`;
  };
  for (const fk of cls.catalog.foreignKeys) {
    if (fk.columns.length === 1 && fk.parentColumns[0] === maps.get(fk.parent)?.column) await follow(fk.table, fk.columns[0]!, fk.parent);
  }
  for (const v of decl.virtualReferences ?? []) if (v.columns.length === 1) await follow(v.table, v.columns[0]!, v.references.table);
  // Tenant columns without a foreign key (declared): the registry key as a plain value.
  for (const t of decl.tenantColumns ?? []) {
    const stage = byTable.get(t.table);
    const hasFk = cls.catalog.foreignKeys.some((f) => f.table === t.table && f.columns.join() === t.column && f.parent === decl.registry.table);
    if (stage && !hasFk) await tx`update ${tx(stage.stage)} set ${tx(t.column)} = ${row.id} where ${tx(t.column)}::text = ${tenantId}`;
  }
  await tx`update ${tx(byTable.get(decl.registry.table)!.stage)} set ${tx(decl.registry.handle)} = ${handle}`;
  return { tenantId: row.id, rekeyed };
}
