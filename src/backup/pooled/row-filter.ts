import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Sql } from '../../db/connect.js';
import type { Fragment } from '../../csv/sql-parts.js';
import { copyIn } from '../../db/copy-in.js';
import { TenantctlError } from '../../errors.js';
import type { Classification } from '../../pooled/index.js';
import type { SharedIdentityDeclaration } from '../../pooled/declarations.js';
import { cols, makeScope, selectList } from '../../pooled/scope.js';
import type { BlockReader, DataBlock } from './archive-data.js';
import { KeptKeys, MAX_KEYS, passes, type LinkTest } from './kept-keys.js';

/** One table the organization has rows in, and where its kept rows go in the scratch copy. */
export interface FilterTarget {
  table: string;
  /** The kept rows' table in `schema` (r0, r1 …). */
  name: string;
  /** A second table of the same shape that takes a batch of unfiltered rows (tables filtered by the server). */
  raw: string;
  rows: number;
}

/** Unfiltered rows per batch for tables kept by the server: bounds the scratch copy's disk, not only Node's memory. */
const RAW_BATCH_ROWS = 50_000;
/** Kept rows are written to COPY in pieces of about this size (one write per row would be slow). */
const WRITE_BYTES = 1 << 20;

/** A value as COPY's text format writes it (backslash escapes), to compare with a dumped field. */
export function copyText(value: string): string {
  return value.replace(/[\\\b\f\n\r\t\v]/g, (c) => ({ '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' })[c]!);
}

/** Whether field `index` (tab-separated) of a COPY line is exactly `value`. */
export function fieldIs(line: string, index: number, value: string): boolean {
  let start = 0;
  for (let k = 0; k < index; k++) {
    start = line.indexOf('\t', start) + 1;
    if (start === 0) return false;
  }
  const end = line.indexOf('\t', start);
  return (end < 0 ? line.length : end) - start === value.length && line.startsWith(value, start);
}

/**
 * The condition "row `t` of `table` belongs to the organization", against the rows already
 * kept (parents are kept first, see keepOrder): an indirect row through its owner link into
 * the kept parent rows (or, while the link is NULL, its declared fallback), a shared person
 * through a kept membership row. Direct tables are filtered before they reach the server.
 */
function keptCondition(sql: Sql, cls: Classification, identity: SharedIdentityDeclaration | undefined, schema: string, table: string, keptName: (table: string) => string, tenantId: string): Fragment {
  const s = makeScope(sql, cls, tenantId, identity, 'export');
  const t = s.tables.get(table)!;
  if (t.class === 'shared-identity' && identity) {
    const m = identity.membership;
    return sql`t.${sql(identity.key)} in (select m.${sql(m.personColumn)} from ${sql(schema)}.${sql(keptName(m.table))} m where m.${sql(m.tenantColumn)}::text = ${tenantId})`;
  }
  const via = (link: NonNullable<typeof t.owner>): Fragment =>
    sql`${cols(s, 't', link.columns)} in (select ${selectList(s, 'p', link.parentColumns)} from ${sql(schema)}.${sql(keptName(link.parent))} p)`;
  // The link, else (while it is NULL) its fallback, and so on down the declared chain.
  const chain = (link: NonNullable<typeof t.owner>): Fragment => {
    if (!link.orElse) return via(link);
    const unset = link.columns.map((c, i) => (i === 0 ? sql`t.${sql(c)} is null` : sql` and t.${sql(c)} is null`));
    return sql`(${via(link)} or (${unset} and ${chain(link.orElse)}))`;
  };
  return t.owner ? chain(t.owner) : sql`false`;
}

/** Write to a COPY's input, waiting for room; fails as soon as the COPY does. */
async function write(pass: PassThrough, chunk: string, copying: Promise<void>): Promise<void> {
  if (pass.write(chunk)) return;
  await Promise.race([once(pass, 'drain'), copying]);
}

/**
 * The reader that keeps one organization's rows out of the archive's data stream, table by
 * table in keep order, deciding each row in Node where it can, so that other organizations'
 * rows never reach the server: direct rows by their tenant field, indirect rows and shared
 * people by their link fields against the kept parents' keys (KeptKeys). Where those keys
 * are not in memory (a parent past MAX_KEYS), the rows go in batches through a raw table
 * and one INSERT … SELECT of the kept ones: the server never holds more than a batch of
 * other organizations' rows. Memory: one write buffer and the organization's link keys.
 */
export function keepingReader(sql: Sql, cls: Classification, identity: SharedIdentityDeclaration | undefined, schema: string, targets: ReadonlyMap<string, FilterTarget>, tableOfData: (block: DataBlock) => string, tenantId: string, maxKeys = MAX_KEYS): BlockReader {
  const keptName = (table: string): string => targets.get(table)!.name;
  const wanted = copyText(tenantId);
  const keys = new KeptKeys(cls, identity, maxKeys);
  let target: FilterTarget;
  let columns: string[] = [];
  /** tenant: by the tenant field; link: by link fields against kept keys; server: raw batches. */
  let mode: 'tenant' | 'link' | 'server';
  let tenantField = -1;
  let link: LinkTest | undefined;
  let record: ((fields: string[]) => void) | undefined;
  let pass: PassThrough;
  let copying: Promise<void>;
  let buffer = '';
  let batched = 0;

  const open = (into: string): void => {
    pass = new PassThrough({ highWaterMark: WRITE_BYTES });
    copying = copyIn(sql`copy ${sql(schema)}.${sql(into)} (${sql(columns)}) from stdin`, pass);
    copying.catch(() => undefined);
  };
  const close = async (): Promise<void> => {
    if (buffer) await write(pass, buffer, copying);
    buffer = '';
    pass.end();
    await copying;
  };
  /** Move the kept rows of the raw batch into the kept table, and empty the batch. */
  const sift = async (): Promise<void> => {
    await close();
    const made = await sql`insert into ${sql(schema)}.${sql(target.name)} (${sql(columns)})
      select ${sql(columns)} from ${sql(schema)}.${sql(target.raw)} t
      where ${keptCondition(sql, cls, identity, schema, target.table, keptName, tenantId)}`;
    target.rows += made.count;
    await sql`truncate ${sql(schema)}.${sql(target.raw)}`;
    batched = 0;
  };
  /** Whether the row is the organization's, in Node (tenant and link modes). */
  const kept = (line: string): boolean => {
    if (mode === 'tenant') {
      if (!fieldIs(line, tenantField, wanted)) return false;
      record?.(line.split('\t'));
      return true;
    }
    const fields = line.split('\t');
    if (!passes(link!, fields)) return false;
    record?.(fields);
    return true;
  };

  return {
    async start(block) {
      const table = tableOfData(block);
      target = targets.get(table)!;
      columns = block.columns;
      const t = cls.tables.find((x) => x.table === table)!;
      const direct = t.class === 'registry' || t.class === 'direct';
      tenantField = direct ? columns.indexOf(t.tenantColumn!) : -1;
      if (direct && tenantField < 0) {
        throw new TenantctlError('BACKUP_DAMAGED', `The backup's data of ${block.schema}.${block.table} has no column ${t.tenantColumn}, which the backup's schema gives ${table}.`, { details: { table, columns } });
      }
      link = direct ? undefined : keys.test(table, columns);
      mode = direct ? 'tenant' : link ? 'link' : 'server';
      record = mode === 'server' ? undefined : keys.recorder(table, columns);
      if (mode === 'server') keys.unrecorded(table);
      open(mode === 'server' ? target.raw : target.name);
    },
    async row(line) {
      if (mode === 'server') batched++;
      else if (kept(line)) target.rows++;
      else return;
      buffer += `${line}\n`;
      if (buffer.length >= WRITE_BYTES) {
        await write(pass, buffer, copying);
        buffer = '';
      }
      if (batched >= RAW_BATCH_ROWS) {
        await sift();
        open(target.raw);
      }
    },
    async end() {
      if (mode === 'server') await sift();
      else await close();
    },
  };
}
