import { TenantctlError, usageError } from '../errors.js';
import { allColumns, type ColumnSpec, type EntitySpec } from './spec.js';

/** The header record, read before COPY starts (the staging table is shaped by it). */
export interface HeaderRead {
  /** Field names as written (BOM removed, quotes undone). */
  names: string[];
  eol: 'lf' | 'crlf';
  /** Physical line of the first data record. */
  nextLine: number;
  /** Bytes read after the header (the start of the data). */
  rest: Buffer;
  /** Bytes of BOM, blank lines and header. */
  bytes: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** A header longer than this is not a header (a binary file, or no line breaks at all). */
const MAX_HEADER = 1 << 20;

/** Bytes of a non-text header shown in the error: enough to recognise the file, not a screenful. */
const SAMPLE_BYTES = 24;

/** `\x7fELF\x02\x01…`: printable ASCII as it is, every other byte escaped. */
function escapedSample(bytes: Buffer): string {
  let out = '';
  for (const b of bytes.subarray(0, SAMPLE_BYTES)) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return bytes.length > SAMPLE_BYTES ? `${out}…` : out;
}

/** Control bytes other than tab and line ends (NUL among them), which no text line holds. */
// eslint-disable-next-line no-control-regex
const hasControlBytes = (bytes: Buffer): boolean => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(bytes.toString('latin1'));

/** Valid UTF-8; `partial`: the bytes may stop inside a character (the first line of a stream). */
function isUtf8(bytes: Buffer, partial = false): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: partial });
    return true;
  } catch {
    return false;
  }
}

/** Bytes at the start of a file looked at for NUL bytes, which no CSV file holds. */
const SNIFF_BYTES = 4096;

/**
 * Refuse a file that is not text before anything looks at its header names: a binary file
 * (NUL bytes near the start, or control bytes in the first line) or text in another
 * encoding than UTF-8. Its bytes would otherwise come back as kilobytes of "unknown columns".
 * @param start the first bytes of the file (NUL check), or undefined once they were checked
 */
function requireText(header: Buffer, where: string, start?: Buffer): void {
  const binary = Boolean(start?.subarray(0, SNIFF_BYTES).includes(0)) || hasControlBytes(header);
  const utf8 = isUtf8(header, true);
  if (!binary && utf8) return;
  const sample = escapedSample(binary && start ? start : header);
  // Where the first NUL byte is, when the header line is text (a text file with one stray NUL reads as binary too).
  const bytes = start ?? header;
  const first = bytes.subarray(0, SNIFF_BYTES).indexOf(0);
  const nul = first >= 0 && !hasControlBytes(bytes.subarray(0, first)) && isUtf8(bytes.subarray(0, first)) ? first : -1;
  const at = nul >= 0 ? ` (a NUL byte at line ${bytes.subarray(0, nul).toString('latin1').split('\n').length}, byte ${nul + 1})` : '';
  throw new TenantctlError('CSV_NOT_TEXT', binary
    ? `${where} is not a text (CSV) file: it holds binary data${at}, starting "${sample}".`
    : `${where} is not UTF-8 text: its first line starts "${sample}".`, {
    hint: binary ? `Check the path: give a CSV file (comma-separated text with a header line such as sku,name,selling_price).${at ? ' If it is one, remove the NUL bytes (tr -d \'\\000\'), which no CSV value may hold.' : ''}` : 'Save the file as "CSV UTF-8" (or convert it: iconv -f latin1 -t utf-8), then import it again.',
    details: { sample },
    exitCode: 2,
  });
}

/** Split one CSV record (no line ending) into fields, undoing quotes as COPY does. */
export function splitRecord(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else quoted = !quoted;
    } else if (ch === delimiter && !quoted) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/**
 * Read the header record from the start of a byte stream: skip a UTF-8 BOM and blank
 * lines, follow quotes, stop at the first line break outside quotes.
 */
export async function readHeader(chunks: AsyncIterator<Buffer>, delimiter: string, where: string): Promise<HeaderRead> {
  let buffer: Buffer = Buffer.alloc(0);
  let line = 1;
  let start = 0;
  let scanned = 0;
  let quoted = false;
  let first = true;
  for (;;) {
    for (let i = scanned; i < buffer.length; i += 1) {
      const b = buffer[i];
      if (b === 0x22) quoted = !quoted;
      else if (b === 0x0a && !quoted) {
        const crlf = i > start && buffer[i - 1] === 0x0d;
        requireText(buffer.subarray(start, crlf ? i - 1 : i), where);
        const text = buffer.subarray(start, crlf ? i - 1 : i).toString('utf8');
        if (text.trim() === '') {
          line += 1;
          start = i + 1;
          continue;
        }
        return { names: splitRecord(text, delimiter), eol: crlf ? 'crlf' : 'lf', nextLine: line + 1 + (text.match(/\n/g)?.length ?? 0), rest: buffer.subarray(i + 1), bytes: i + 1 };
      }
    }
    scanned = buffer.length;
    if (scanned - start > MAX_HEADER) {
      requireText(buffer.subarray(start), where);
      throw new TenantctlError('CSV_HEADER', `${where}: no header line found in the first ${MAX_HEADER} bytes.`, { hint: 'Is this a CSV file? The first line must name the columns.' });
    }
    const next = await chunks.next();
    if (next.done) break;
    let chunk = next.value;
    if (first) {
      first = false;
      if (chunk.subarray(0, SNIFF_BYTES).includes(0)) requireText(chunk.subarray(0, 0), where, chunk);
      if (chunk.subarray(0, 3).equals(BOM)) {
        chunk = chunk.subarray(3);
        start = 0;
      }
    }
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
  }
  requireText(buffer.subarray(start), where);
  const text = buffer.subarray(start).toString('utf8').replace(/\r$/, '');
  if (text.trim() === '') throw new TenantctlError('CSV_EMPTY', `${where} is empty: no header line.`, { hint: 'The first line must name the columns, e.g. sku,name,selling_price.' });
  return { names: splitRecord(text, delimiter), eol: 'lf', nextLine: line + 1, rest: Buffer.alloc(0), bytes: buffer.length };
}

/** The header matched to the entity: for each CSV field, its column spec. */
export interface HeaderMap {
  /** Specs in file order. */
  columns: ColumnSpec[];
  /** CSV names present (canonical, lower case). */
  present: Set<string>;
}

/**
 * Match header names to the entity's columns, case-insensitively and ignoring
 * surrounding spaces. Unknown, duplicate and missing required columns are one error
 * that lists them all.
 */
export function mapHeader(entity: EntitySpec, names: readonly string[], where: string): HeaderMap {
  const known = new Map(allColumns(entity).map((c) => [c.csv.toLowerCase(), c]));
  const columns: ColumnSpec[] = [];
  const present = new Set<string>();
  const unknown: string[] = [];
  const duplicate: string[] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    const spec = known.get(name);
    if (!spec) unknown.push(raw);
    else if (present.has(name)) duplicate.push(raw);
    else {
      present.add(name);
      columns.push(spec);
    }
  }
  const missing = allColumns(entity).filter((c) => c.required && !present.has(c.csv)).map((c) => c.csv);
  if (unknown.length || duplicate.length || missing.length) {
    const parts = [
      unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}` : '',
      duplicate.length ? `duplicate column${duplicate.length > 1 ? 's' : ''} ${duplicate.join(', ')}` : '',
      missing.length ? `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
    ].filter(Boolean);
    throw new TenantctlError('CSV_HEADER', `${where} line 1 (header): ${parts.join('; ')}.`, {
      hint: `${entity.name} columns are: ${allColumns(entity).map((c) => c.csv + (c.required ? '*' : '')).join(', ')} (* required; names match case-insensitively).`,
      details: { unknown, duplicate, missing },
    });
  }
  return { columns, present };
}

/** The one-byte delimiters COPY accepts that tenantctl offers. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Validate --delimiter (`\t` and `tab` mean a tab). */
export function parseDelimiter(value: string | undefined): Delimiter {
  const d = value === undefined ? ',' : value === '\\t' || value === 'tab' ? '\t' : value;
  if (!(DELIMITERS as readonly string[]).includes(d)) throw usageError(`--delimiter must be one of , ; | or tab (got ${JSON.stringify(value)}).`);
  return d as Delimiter;
}
