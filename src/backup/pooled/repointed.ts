import { PassThrough } from 'node:stream';
import type { Sql } from '../../db/connect.js';
import type { Fragment } from '../../csv/sql-parts.js';
import { copyIn } from '../../db/copy-in.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import { referenceRules, type ReferenceRule } from '../../pooled/references.js';
import type { BlockReader, DataBlock } from './archive-data.js';
import type { ScratchCopy } from './scratch-rows.js';
import { stageRows, type StagedTable } from './stage.js';

/**
 * Other organizations' rows that an erasure with `--shared-rows tombstone` re-points at the
 * placeholder when they point at the erased organization's rows (ABParts: the distributor's
 * transfer into its warehouse, a row performed by its user): the erasure's own tombstone
 * reference rules, into a table that has a placeholder row.
 */
export function repointRules(cls: Classification, decl: PooledDeclarations): ReferenceRule[] {
  return referenceRules(cls, decl, { sharedRows: 'tombstone' }).filter((r) => r.kind === 'reference' && r.action === 'tombstone' && r.placeholder !== null);
}

/** Unfiltered rows per batch in the scratch copy's raw table (as row-filter.ts batches). */
const RAW_BATCH_ROWS = 50_000;

/** One table whose rows may point at the organization's rows through a repoint rule, and where they go in the scratch copy. */
export interface RepointTarget {
  table: string;
  name: string;
  raw: string;
  rows: number;
  /** Which rows to keep (alias `t`): a rule's columns among the organization's kept rows, and the row not the organization's own. */
  keep: Fragment;
}

/**
 * The reader that keeps, out of the archive's data of the repoint rules' tables, the rows of
 * OTHER organizations that point at the organization's kept rows through one of those rules.
 * Every row goes through a raw batch table and one INSERT … SELECT of the kept ones (their
 * number is what the other organizations' rows naming this organization are: small).
 */
export function repointReader(sql: Sql, schema: string, targets: ReadonlyMap<string, RepointTarget>, tableOfData: (block: DataBlock) => string): BlockReader {
  let target: RepointTarget;
  let columns: string[] = [];
  let pass: PassThrough;
  let copying: Promise<void>;
  let buffer = '';
  let batched = 0;
  const open = (): void => {
    pass = new PassThrough({ highWaterMark: 1 << 20 });
    copying = copyIn(sql`copy ${sql(schema)}.${sql(target.raw)} (${sql(columns)}) from stdin`, pass);
    copying.catch(() => undefined);
  };
  const sift = async (): Promise<void> => {
    if (buffer) pass.write(buffer);
    buffer = '';
    pass.end();
    await copying;
    const made = await sql`insert into ${sql(schema)}.${sql(target.name)} (${sql(columns)}) select ${sql(columns)} from ${sql(schema)}.${sql(target.raw)} t where ${target.keep}`;
    target.rows += made.count;
    await sql`truncate ${sql(schema)}.${sql(target.raw)}`;
    batched = 0;
  };
  return {
    async start(block) {
      target = targets.get(tableOfData(block))!;
      columns = block.columns;
      open();
    },
    async row(line) {
      buffer += `${line}\n`;
      batched++;
      if (buffer.length >= 1 << 20) {
        if (!pass.write(buffer)) await new Promise<void>((resolve, reject) => { pass.once('drain', resolve); copying.catch(reject); });
        buffer = '';
      }
      if (batched >= RAW_BATCH_ROWS) {
        await sift();
        open();
      }
    },
    async end() {
      await sift();
    },
  };
}

/**
 * `restore-tenant` as itself, after the organization's rows are in: the placeholder
 * re-pointings its erasure made in other organizations' rows go back to the organization's
 * rows (the distributor's transfer into its warehouse enters that warehouse again, so the
 * stock it shows adds up from its history). Only a row that still points at the placeholder
 * where the backup pointed at one of the organization's restored rows, and is otherwise as
 * the backup has it: a row its organization changed since (or whose text the erasure also
 * scrubbed, which a restore does not undo in other organizations' rows) stays as it is.
 * Returns the rows taken back per table.
 */
export async function takeBackRepointed(tx: Sql, scratch: ScratchCopy, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations): Promise<Record<string, number>> {
  const taken: Record<string, number> = {};
  if (!scratch.repointed.length) return taken;
  const rules = repointRules(cls, decl);
  const stageOf = new Map(staged.map((s) => [s.table, s.stage]));
  const others = await stageRows(tx, { ...scratch, tables: scratch.repointed }, cls.catalog, 'tenantctl_repoint_');
  for (const stage of others) {
    const table = cls.catalog.tables.find((t) => t.name === stage.table)!;
    const pk = table.primaryKey;
    const mine = rules.filter((r) => r.table === stage.table && r.columns.length === 1 && stageOf.has(r.parent));
    if (!pk.length || !mine.length || !stage.rows) continue;
    const ruled = new Set(mine.map((r) => r.columns[0]!));
    // A column goes back when it holds the placeholder and the backup's value is one of the restored rows.
    const back = new Map(mine.map((r) => [r.columns[0]!, tx`(t.${tx(r.columns[0]!)}::text = ${r.placeholder!} and s.${tx(r.columns[0]!)} in (select p.${tx(r.parentColumns[0]!)} from ${tx(stageOf.get(r.parent)!)} p))`]));
    const and = (parts: Fragment[]): Fragment => tx`${parts.map((p, i) => (i === 0 ? p : tx` and ${p}`))}`;
    const or = (parts: Fragment[]): Fragment => tx`${parts.map((p, i) => (i === 0 ? p : tx` or ${p}`))}`;
    const same = (c: string): Fragment => tx`t.${tx(c)}::text is not distinct from s.${tx(c)}::text`;
    const columns = stage.columns.filter((c) => !pk.includes(c) && !table.columns.find((x) => x.name === c)?.generated);
    const set = [...ruled].map((c, i) => (i === 0 ? tx`${tx(c)} = case when ${back.get(c)!} then s.${tx(c)} else t.${tx(c)} end` : tx`, ${tx(c)} = case when ${back.get(c)!} then s.${tx(c)} else t.${tx(c)} end`));
    const unchanged = and(columns.map((c) => (ruled.has(c) ? tx`(${same(c)} or ${back.get(c)!})` : same(c))));
    const match = and(pk.map((c) => tx`t.${tx(c)} = s.${tx(c)}`));
    const r = await tx`update ${tx(cls.schema)}.${tx(stage.table)} t set ${set} from ${tx(stage.stage)} s
      where ${match} and (${or([...back.values()])}) and ${unchanged}`;
    if (r.count) taken[stage.table] = r.count;
  }
  return taken;
}
