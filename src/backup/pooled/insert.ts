import type { Sql } from '../../db/connect.js';
import type { Fragment } from '../../csv/sql-parts.js';
import { TenantctlError } from '../../errors.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import { deleteOrder } from '../../pooled/order.js';
import { ESCAPE_REPLACEMENT, SCRUBBED } from '../../pooled/personal.js';
import { referenceRules, type ReferenceRule } from '../../pooled/references.js';
import type { Reclaims } from './reclaim.js';
import type { StagedTable } from './stage.js';

/**
 * Insert the staged rows into the live tables, parents before children (the staged order),
 * one INSERT … SELECT per table. A self-reference needs nothing more (a foreign key is
 * checked at the end of its statement); a cycle between tables is broken the way erasure
 * breaks it: the breaker column goes in as NULL and is set once every table is in.
 * Generated columns are left to the database; identity columns keep their restored values
 * (OVERRIDING SYSTEM VALUE). Rows taken back from the placeholder (see reclaim.ts) are updated
 * instead. Returns rows restored per table (inserted or taken back), and those taken back.
 */
export async function insertStaged(tx: Sql, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations, reclaims: Reclaims): Promise<{ inserted: Record<string, number>; reclaimed: Record<string, number> }> {
  const breakers = deleteOrder(cls, decl).breakers;
  const inserted: Record<string, number> = {};
  const reclaimed: Record<string, number> = {};
  const later: { stage: StagedTable; columns: string[]; pk: string[] }[] = [];
  // The erasure's reference rules, worked out once for every table with rows to take back.
  let tombstoneRules: ReferenceRule[] | undefined;
  const rules = (): ReferenceRule[] => (tombstoneRules ??= referenceRules(cls, decl, { sharedRows: 'tombstone' }));
  for (const stage of staged) {
    const table = cls.catalog.tables.find((t) => t.name === stage.table)!;
    const generated = new Set(table.columns.filter((c) => c.generated).map((c) => c.name));
    const columns = stage.columns.filter((c) => !generated.has(c));
    const broken = new Set(breakers.filter((b) => b.table === stage.table).flatMap((b) => b.columns));
    if (broken.size && !table.primaryKey.length) {
      throw new TenantctlError('RESTORE_CYCLE', `${stage.table} is on a foreign key cycle and has no primary key, so its rows cannot be inserted in two steps. Nothing was changed.`, { details: { table: stage.table } });
    }
    const value = (c: string): Fragment => (broken.has(c) ? tx`null` : tx`s.${tx(c)}`);
    const select: Fragment[] = columns.map((c, i) => (i === 0 ? value(c) : tx`, ${value(c)}`));
    const reclaim = reclaims.get(stage.table);
    let taken = 0;
    if (reclaim) taken = (await reclaimRows(tx, cls.schema, stage, reclaim, columns, table.primaryKey, value, erasedForms(cls, decl, rules(), stage.table))).count;
    const skip = reclaim ? tx`where (${tx(table.primaryKey)}) not in (select ${tx(table.primaryKey)} from ${tx(reclaim)})` : tx``;
    const result = await tx`insert into ${tx(cls.schema)}.${tx(stage.table)} (${tx(columns)}) overriding system value select ${select} from ${tx(stage.stage)} s ${skip}`;
    inserted[stage.table] = result.count + taken;
    if (taken) reclaimed[stage.table] = taken;
    if (broken.size) later.push({ stage, columns: [...broken], pk: table.primaryKey });
  }
  for (const { stage, columns, pk } of later) {
    const set = columns.map((c, i) => (i === 0 ? tx`${tx(c)} = s.${tx(c)}` : tx`, ${tx(c)} = s.${tx(c)}`));
    const match = pk.map((c, i) => (i === 0 ? tx`t.${tx(c)} = s.${tx(c)}` : tx` and t.${tx(c)} = s.${tx(c)}`));
    await tx`update ${tx(cls.schema)}.${tx(stage.table)} t set ${set} from ${tx(stage.stage)} s where ${match}`;
  }
  return { inserted, reclaimed };
}

/** The scrub marker as it reads once every character but letters, digits and spaces is escaped. */
const ESCAPED_MARKER = SCRUBBED.replace(/[^\p{L}\p{N}\s]/gu, (ch) => `\\${ch}`);

/** What an erasure leaves in a kept row of `table` (see reclaimRows). */
interface ErasedForms {
  placeholders: string[];
  nulled: Set<string>;
  scrubbed: Set<string>;
}

function erasedForms(cls: Classification, decl: PooledDeclarations, allRules: readonly ReferenceRule[], table: string): ErasedForms {
  const rules = allRules.filter((r) => r.table === table);
  return {
    placeholders: (decl.tombstone?.rows ?? []).map((r) => r.key),
    nulled: new Set([
      ...cls.catalog.foreignKeys.filter((f) => f.table === table).flatMap((f) => f.columns),
      ...rules.flatMap((r) => Object.entries(r.set).filter(([, v]) => v === null).map(([c]) => c)),
    ]),
    scrubbed: new Set((decl.personalData ?? []).filter((p) => p.table === table && p.action === 'scrub').map((p) => p.column)),
  };
}

/**
 * Rows taken back from the placeholder: each column the erasure changed goes back to the
 * backup's value, and only those. The organization that kept the row under the placeholder
 * (the distributor, for its sales record) may have changed it since (an order's status): that
 * is its to keep. A column counts as the erasure's change when its live value is what the
 * erasure leaves: a placeholder key (re-pointed), NULL where a rule nulls it (a reference, a
 * tombstone rule's `set`), or text that is the backup's with the scrub marker in place of what
 * the erasure took out (and nothing else changed since).
 */
function reclaimRows(tx: Sql, schema: string, stage: StagedTable, reclaim: string, columns: readonly string[], pk: readonly string[], value: (c: string) => Fragment, erased: ErasedForms) {
  const back = (c: string): Fragment => {
    const nulled = erased.nulled.has(c) ? tx` or t.${tx(c)} is null` : tx``;
    // Scrubbed text: the erasure only put the marker in place of what it took out. The backup's
    // text goes back when it is the live text with each marker standing for something (the live
    // text as a pattern: every other character literal, each marker `.*`); text changed in any
    // other way since is the keeping organization's, and stays.
    const pattern = tx`'^' || replace(regexp_replace(t.${tx(c)}::text, '([^[:alnum:][:space:]])', ${ESCAPE_REPLACEMENT}, 'g'), ${ESCAPED_MARKER}, '.*') || '$'`;
    const scrubbed = erased.scrubbed.has(c)
      ? tx` or (strpos(t.${tx(c)}::text, ${SCRUBBED}) > 0 and strpos(coalesce(s.${tx(c)}::text, ''), ${SCRUBBED}) = 0 and s.${tx(c)}::text ~ (${pattern}))`
      : tx``;
    return tx`case when t.${tx(c)}::text = any(${erased.placeholders}::text[])${nulled}${scrubbed} then ${value(c)} else t.${tx(c)} end`;
  };
  const set = columns.filter((c) => !pk.includes(c)).map((c, i) => (i === 0 ? tx`${tx(c)} = ${back(c)}` : tx`, ${tx(c)} = ${back(c)}`));
  const match = pk.map((c, i) => (i === 0 ? tx`t.${tx(c)} = s.${tx(c)}` : tx` and t.${tx(c)} = s.${tx(c)}`));
  return tx`update ${tx(schema)}.${tx(stage.table)} t set ${set} from ${tx(stage.stage)} s
    where ${match} and (${pk.map((c, i) => (i === 0 ? tx`s.${tx(c)}` : tx`, s.${tx(c)}`))}) in (select ${tx([...pk])} from ${tx(reclaim)})`;
}
