import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TenantctlError } from '../../errors.js';
import { runTool, streamTool } from '../run-tool.js';
import type { PgTool } from '../tools.js';

/** One table's data in an archive: its TOC line (for a list file) and where it lives. */
export interface DataEntry {
  schema: string;
  table: string;
  /** The line of `pg_restore -l` naming it, written as is into the list file. */
  tocLine: string;
}

/** One table's data as pg_restore writes it: the COPY header's table and columns, then its rows. */
export interface DataBlock {
  schema: string;
  table: string;
  /** The columns in the order of each row's fields (generated columns are not dumped). */
  columns: string[];
}

/** How the reader of the data stream takes each block: a start, every row line (COPY text), an end. */
export interface BlockReader {
  start(block: DataBlock): Promise<void>;
  row(line: string): Promise<void> | void;
  end(): Promise<void>;
}

/**
 * The TABLE DATA entries of an archive's table of contents (`pg_restore -l`): lines of the
 * form `<id>; <oid> <oid> TABLE DATA <schema> <table> <owner>`. Looked up by schema and name,
 * which pg_restore prints unquoted.
 */
export async function dataEntries(pgRestore: PgTool, archive: string, run: { env: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<(schema: string, table: string) => DataEntry | undefined> {
  const { stdout } = await runTool(pgRestore, ['-l', archive], { env: run.env, signal: run.signal, what: `table of contents of ${archive}` });
  const lines = stdout.split('\n').filter((l) => /^\d+; \d+ \d+ TABLE DATA /.test(l));
  return (schema, table) => {
    const prefix = ` TABLE DATA ${schema} ${table} `;
    const tocLine = lines.find((l) => l.includes(prefix) || l.endsWith(prefix.trimEnd()));
    return tocLine === undefined ? undefined : { schema, table, tocLine };
  };
}

/** A possibly quoted SQL identifier list (`id, "Order", name`) as names. */
export function parseIdentifiers(text: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (i >= text.length) break;
    if (text[i] === '"') {
      let name = '';
      for (i++; i < text.length; i++) {
        if (text[i] === '"' && text[i + 1] === '"') { name += '"'; i++; }
        else if (text[i] === '"') { i++; break; }
        else name += text[i];
      }
      names.push(name);
    } else {
      const stop = text.indexOf(',', i);
      names.push(text.slice(i, stop < 0 ? text.length : stop).trim());
      i = stop < 0 ? text.length : stop;
    }
  }
  return names;
}

const COPY_HEADER = /^COPY (.+) \((.*)\) FROM stdin;$/;

/** `schema.table` of a COPY header, each part possibly quoted. */
function parseQualified(text: string): { schema: string; table: string } {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && quoted && text[i + 1] === '"') { current += '"'; i++; }
    else if (ch === '"') quoted = !quoted;
    else if (ch === '.' && !quoted) { parts.push(current); current = ''; }
    else current += ch;
  }
  parts.push(current);
  return { schema: parts.length > 1 ? parts[0]! : '', table: parts[parts.length - 1]! };
}

/** The lines of chunks that each end at a line's end (byteChunks). */
async function* lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    const text = chunk.toString('utf8');
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    for (const line of body.split('\n')) yield line;
  }
}

/**
 * Stream the data of `entries` out of an archive (`pg_restore -L <list>`: only those tables,
 * in the order given, as a script on stdout) and hand each table's COPY block to `reader`.
 * Nothing is held beyond one chunk of the pipe: the pipe's back-pressure holds pg_restore
 * while the reader works. Reading a TOC entry's data needs no database connection.
 */
export async function streamData(pgRestore: PgTool, archive: string, entries: readonly DataEntry[], reader: BlockReader, run: { env: NodeJS.ProcessEnv; signal?: AbortSignal }): Promise<number> {
  if (!entries.length) return 0;
  const folder = await mkdtemp(join(tmpdir(), 'tenantctl-restore-'));
  try {
    const list = join(folder, 'data.list');
    await writeFile(list, `${entries.map((e) => e.tocLine).join('\n')}\n`, { mode: 0o600 });
    const tool = streamTool(pgRestore, ['--data-only', '-L', list, '-f', '-', archive], { env: run.env, signal: run.signal, what: `reading table data from ${archive}` });
    let blocks = 0;
    let inBlock = false;
    try {
      // A pipe chunk may end inside a character: cut at line ends (LF never occurs inside a
      // multi-byte UTF-8 character) before decoding.
      for await (const line of lines(byteChunks(tool.stdout))) {
        if (inBlock) {
          if (line === '\\.') { inBlock = false; blocks++; await reader.end(); }
          else await reader.row(line);
          continue;
        }
        const header = COPY_HEADER.exec(line);
        if (!header) continue;
        await reader.start({ ...parseQualified(header[1]!), columns: parseIdentifiers(header[2]!) });
        inBlock = true;
      }
    } catch (error) {
      tool.stop();
      await tool.done.catch(() => undefined);
      throw error;
    }
    await tool.done;
    if (inBlock) throw new TenantctlError('BACKUP_DAMAGED', `The data of a table in ${archive} ends without its end marker: the archive is cut short.`, { hint: 'Run tenantctl backup verify on the backup; restore from one that passes.' });
    return blocks;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Byte chunks cut at their last LF, so that each piece decodes on its own. */
async function* byteChunks(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const joined = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const last = joined.lastIndexOf(10);
    if (last < 0) { rest = joined; continue; }
    rest = joined.subarray(last + 1);
    yield joined.subarray(0, last + 1);
  }
  if (rest.length) yield rest;
}
