/**
 * Sequences set back after the backup's snapshot. A sequence's value is not versioned:
 * pg_dump writes the value it finds when it reads the sequence, not the snapshot's, and a
 * `setval()` keeps the relfilenode, so the rewrite check cannot see it. A sequence set to a
 * LOWER value after the snapshot would be restored below ids its table's rows (as of the
 * snapshot) already hold, and the restored database would hand them out again. So the run
 * reads every sequence before it exports its snapshot, and after each chunk compares what
 * pg_dump wrote into the archive with it.
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { makePrivateTempDir } from '../files/private.js';
import { runTool } from './run-tool.js';
import type { PgTool } from './tools.js';

/** Where a sequence stands: the last value and whether it was handed out. */
export interface SequenceValue {
  last: bigint;
  called: boolean;
}

/** A sequence as read before the snapshot. */
export interface SequenceState extends SequenceValue {
  schema: string;
  name: string;
  ascending: boolean;
}

/** Sequences read per statement: each read holds a lock until its statement ends. */
const READ_BATCH = 1000;
/** A sequence dropped between the listing and the read fails its batch: list again, this often. */
const READ_ATTEMPTS = 3;

async function readBatch(sql: Sql, oids: number[]): Promise<Map<number, SequenceValue>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const rows = await query<{ oid: number; last_value: string; is_called: boolean }>(sql, 'backup/sequence-values', [oids]);
      return new Map(rows.map((r) => [r.oid, { last: BigInt(r.last_value), called: r.is_called }]));
    } catch (error) {
      if (attempt >= READ_ATTEMPTS) throw error;
      // A tenant erased meanwhile: the sequences still there are read again.
      const still = new Set((await query<{ oid: number }>(sql, 'backup/sequence-list')).map((s) => s.oid));
      oids = oids.filter((o) => still.has(o));
    }
  }
}

/**
 * Every sequence of the database and its value now, keyed by the name as pg_dump quotes
 * it in its `setval()` calls. Read before the snapshot is exported, so a value set back
 * between this read and the snapshot is flagged too (a needless failure, never a miss).
 */
export async function sequenceStates(sql: Sql): Promise<Map<string, SequenceState>> {
  const listed = await query<{ oid: number; schema: string; name: string; qualified: string; ascending: boolean }>(sql, 'backup/sequence-list');
  const states = new Map<string, SequenceState>();
  for (let i = 0; i < listed.length; i += READ_BATCH) {
    const batch = listed.slice(i, i + READ_BATCH);
    const values = await readBatch(sql, batch.map((s) => s.oid));
    for (const s of batch) {
      const value = values.get(s.oid);
      if (value) states.set(s.qualified, { schema: s.schema, name: s.name, ascending: s.ascending, ...value });
    }
  }
  return states;
}

/** `SELECT pg_catalog.setval('tenant_acme.invoice_no', 500, true);` as pg_dump writes it. */
const SETVAL = /^SELECT pg_catalog\.setval\('((?:[^']|'')+)', (-?\d+), (true|false)\);$/;

/** The value of every `setval()` in pg_restore's script output, keyed by the quoted name. */
export function parseSetvals(script: string): Map<string, SequenceValue> {
  const values = new Map<string, SequenceValue>();
  for (const line of script.split('\n')) {
    const m = SETVAL.exec(line.trim());
    if (m) values.set(m[1]!.replace(/''/g, "'"), { last: BigInt(m[2]!), called: m[3] === 'true' });
  }
  return values;
}

/**
 * The sequence values pg_dump wrote into `archive`: its SEQUENCE SET entries only (the
 * table of contents, no table data), printed as SQL by pg_restore.
 */
export async function dumpedSequences(pgRestore: PgTool, archive: string, options: { env: NodeJS.ProcessEnv; signal?: AbortSignal; what: string }): Promise<Map<string, SequenceValue>> {
  const { stdout: toc } = await runTool(pgRestore, ['--list', archive], { env: options.env, signal: options.signal, what: options.what });
  const entries = toc.split('\n').filter((line) => !line.startsWith(';') && line.includes(' SEQUENCE SET '));
  if (entries.length === 0) return new Map();
  const dir = await makePrivateTempDir(tmpdir(), 'tenantctl-sequences-');
  try {
    const list = join(dir, 'sequences.list');
    await writeFile(list, `${entries.join('\n')}\n`, { mode: 0o600 });
    const { stdout } = await runTool(pgRestore, ['-L', list, '-f', '-', archive], { env: options.env, signal: options.signal, what: options.what });
    return parseSetvals(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The value `nextval()` would give next: the last one plus a step once it was handed out. */
function nextValue(value: SequenceValue, ascending: boolean): bigint {
  return value.called ? value.last + (ascending ? 1n : -1n) : value.last;
}

/**
 * Sequences whose dumped value is behind their value before the snapshot (lower for an
 * ascending sequence, higher for a descending one). Comparing the next value to be handed
 * out, by one step, is enough: the snapshot's rows hold at most the values handed out by then.
 */
export function setBackSequences(before: ReadonlyMap<string, SequenceState>, dumped: ReadonlyMap<string, SequenceValue>): string[] {
  const behind: string[] = [];
  for (const [qualified, value] of dumped) {
    const then = before.get(qualified);
    // Created after the read (at most moments before the snapshot): not compared.
    if (!then) continue;
    const now = nextValue(value, then.ascending);
    const was = nextValue(then, then.ascending);
    if (then.ascending ? now < was : now > was) behind.push(`${then.schema}.${then.name}`);
  }
  return behind;
}

export function sequenceSetBackError(sequences: string[]): TenantctlError {
  const shown = sequences.slice(0, 5).join(', ') + (sequences.length > 5 ? ` and ${sequences.length - 5} more` : '');
  return new TenantctlError('BACKUP_SEQUENCE_SET_BACK', `${shown} ${sequences.length === 1 ? 'was' : 'were'} set back (setval() to a lower value) after the backup's snapshot: pg_dump writes a sequence's current value, so the backup would restore it below ids its rows already hold, and the restored database would hand out duplicate ids. No backup was written.`, {
    hint: 'Run `tenantctl backup create` again once whatever resets sequences (a data reload, a test fixture, a maintenance script) has finished.',
    details: { sequences },
  });
}
