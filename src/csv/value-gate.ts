import { Transform, type TransformCallback } from 'node:stream';
import type { ColumnSpec } from './spec.js';
import { BOOLEAN_WORDS, DATE, INT_MAX, INT_MIN, INTEGER, INTEGER_MAX_CHARS, NUMBER, TIMESTAMP, UUID } from './value-rules.js';

/**
 * The client-side gate of the direct load (direct-load.ts): records stream through it
 * straight into `COPY <tenant table>`, and it stops the load at the first value that the
 * SQL validator might refuse, or that COPY would store differently from the staged
 * import's typed INSERT. Whatever it lets through is stored exactly as the staged path
 * stores it; anything else (a refused value here, a COPY error there) sends the import
 * down the staged path, which names every bad value. So the gate may refuse more than the
 * validator, never less: it is a filter for "certainly fine", not a validator.
 *
 * It sees the scanner's output, which is well-formed: every record has the header's
 * number of fields, line endings are the header's, and quotes only open fields (or
 * double inside them).
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/** Why the gate stopped a direct load (not an error of the file: the staged path decides). */
export class GateRefusal extends Error {
  constructor(readonly column: string) {
    super(`a value of ${column} needs the full validation`);
  }
}

type Check = (value: Buffer) => boolean;

const regex = (pattern: string): RegExp => new RegExp(pattern);
const integerPattern = regex(INTEGER);
const numberPattern = regex(NUMBER);
const uuidPattern = regex(UUID);
const datePattern = regex(DATE);
const timestampPattern = regex(TIMESTAMP);
const booleanWords = new Set(BOOLEAN_WORDS);

/** The value without the spaces that SQL btrim() removes (spaces only, not tabs). */
function spaceTrimmed(value: Buffer): string {
  let start = 0;
  let end = value.length;
  while (start < end && value[start] === SPACE) start += 1;
  while (end > start && value[end - 1] === SPACE) end -= 1;
  // latin1: every byte one character; any non-ASCII byte then fails the ASCII patterns.
  return value.toString('latin1', start, end);
}

function characters(value: Buffer): number {
  let count = 0;
  for (let i = 0; i < value.length; i += 1) if ((value[i]! & 0xc0) !== 0x80) count += 1;
  return count;
}

/** numeric(precision, scale): the validator's rules, digit by digit. */
function numericCheck(precision: number, scale: number): Check {
  const maxIntegerDigits = precision - scale;
  return (value) => {
    const text = spaceTrimmed(value);
    if (!numberPattern.test(text)) return false;
    const digits = text.replace(/^[+-]/, '');
    const point = digits.indexOf('.');
    const whole = (point < 0 ? digits : digits.slice(0, point)).replace(/^0+/, '');
    const fraction = point < 0 ? '' : digits.slice(point + 1);
    // Digits beyond the scale must be zeros (12.500 is 12.50; 12.505 is refused).
    return whole.length <= maxIntegerDigits && /^0*$/.test(fraction.slice(scale));
  };
}

/** The check a value of this column must pass, or undefined when COPY's own input function decides alike. */
function typeCheck(spec: ColumnSpec): Check | undefined {
  switch (spec.type) {
    case 'integer':
      return (value) => {
        const text = spaceTrimmed(value);
        if (!integerPattern.test(text) || text.length > INTEGER_MAX_CHARS) return false;
        const n = Number(text);
        return n >= INT_MIN && n <= INT_MAX;
      };
    case 'numeric':
      return numericCheck(spec.precision ?? 38, spec.scale ?? 0);
    case 'boolean':
      return (value) => booleanWords.has(spaceTrimmed(value).toLowerCase());
    case 'uuid':
      // uuid_in takes no surrounding spaces, which btrim() in the staged path removes.
      return (value) => value[0] !== SPACE && value[value.length - 1] !== SPACE && uuidPattern.test(value.toString('latin1'));
    case 'date':
      return (value) => datePattern.test(spaceTrimmed(value));
    case 'timestamptz':
      return (value) => timestampPattern.test(spaceTrimmed(value));
    case 'enum': {
      const values = new Set(spec.values ?? []);
      return (value) => values.has(value.toString('utf8'));
    }
    case 'text':
    case 'jsonb':
    case 'text[]':
      return undefined;
  }
}

/** What the gate does with one column's values. */
interface ColumnRule {
  name: string;
  required: boolean;
  maxLength: number | undefined;
  check: Check | undefined;
  /** CSV text that stands for the column's default when the field is empty (NULL). */
  defaultField: Buffer | undefined;
  /** Nothing to look at: any value passes as it is. */
  free: boolean;
}

/** The CSV field for a literal value, quoted when it must be (an empty one would be NULL). */
function csvField(text: string, delimiter: number): Buffer {
  const needsQuotes = text === '' || /["\r\n]/.test(text) || text.includes(String.fromCharCode(delimiter));
  return Buffer.from(needsQuotes ? `"${text.replace(/"/g, '""')}"` : text, 'utf8');
}

function ruleFor(spec: ColumnSpec, delimiter: number): ColumnRule {
  const check = typeCheck(spec);
  const defaultField = spec.default === undefined ? undefined : csvField(String(spec.default), delimiter);
  const required = Boolean(spec.required);
  return { name: spec.csv, required, maxLength: spec.maxLength, check, defaultField, free: !required && spec.maxLength === undefined && !check && !defaultField };
}

/** Whether the gate lets a value through (null = an empty unquoted field). Exported for tests. */
export function gateAccepts(spec: ColumnSpec, value: Buffer | null): boolean {
  return accepts(ruleFor(spec, 0x2c), value);
}

function accepts(rule: ColumnRule, value: Buffer | null): boolean {
  if (value === null) return !rule.required;
  if (rule.required) {
    let blank = true;
    for (let i = 0; i < value.length && blank; i += 1) blank = value[i] === SPACE;
    if (blank) return false;
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength && characters(value) > rule.maxLength) return false;
  return rule.check ? rule.check(value) : true;
}

/** A quoted field's value: quotes toggle, and "" inside quotes is one quote (COPY's CSV rules). */
function unquote(field: Buffer): Buffer {
  const out = Buffer.allocUnsafe(field.length);
  let n = 0;
  let inQuote = false;
  for (let i = 0; i < field.length; i += 1) {
    const b = field[i]!;
    if (b === QUOTE) {
      if (inQuote && field[i + 1] === QUOTE) {
        out[n++] = QUOTE;
        i += 1;
      } else inQuote = !inQuote;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

export interface GateOptions {
  /** Column specs in the file's order. */
  columns: readonly ColumnSpec[];
  delimiter: number;
  eol: 'lf' | 'crlf';
  /**
   * Fields appended to every record, delimiter included (pooled: `,<tenant id>`, so that
   * COPY fills the tenant column that the file never holds).
   */
  suffix?: Buffer;
}

/**
 * Records in, the same records out (an empty field of a column with a default replaced by
 * that default, as the staged path's coalesce does); fails with GateRefusal at the first
 * value it cannot vouch for.
 */
export class ValueGate extends Transform {
  private readonly rules: ColumnRule[];
  private readonly delimiter: number;
  private readonly crlf: boolean;
  private readonly suffix: Buffer | undefined;
  private carry: Buffer | undefined;

  constructor(options: GateOptions) {
    super();
    this.rules = options.columns.map((c) => ruleFor(c, options.delimiter));
    this.delimiter = options.delimiter;
    this.crlf = options.eol === 'crlf';
    this.suffix = options.suffix;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    this.scan(data, false, callback);
  }

  override _flush(callback: TransformCallback): void {
    const data = this.carry;
    this.carry = undefined;
    if (data?.length) this.scan(data, true, callback);
    else callback();
  }

  /** Check every complete record of `data`; keep an incomplete last one for the next chunk. */
  private scan(data: Buffer, final: boolean, callback: TransformCallback): void {
    const rules = this.rules;
    const last = rules.length - 1;
    const n = data.length;
    const suffix = this.suffix;
    // What goes out, pushed once per chunk (a push per record would cost more than the scan).
    const out: Buffer[] = [];
    let emitted = 0;
    let record = 0;
    records: while (record < n) {
      let i = record;
      for (let col = 0; col <= last; col += 1) {
        const start = i;
        let quoted = false;
        if (data[i] === QUOTE) {
          quoted = true;
          // To the closing quote; "" inside is an escaped quote.
          for (i += 1; ; ) {
            const q = data.indexOf(QUOTE, i);
            if (q < 0 || (q + 1 >= n && !final)) break records;
            if (data[q + 1] === QUOTE) i = q + 2;
            else {
              i = q + 1;
              break;
            }
          }
        }
        const rule = rules[col]!;
        let end = data.indexOf(col === last ? LF : this.delimiter, i);
        if (end < 0) {
          if (!final) break records;
          if (col !== last) {
            // Cannot happen after the scanner; refuse rather than guess.
            callback(new GateRefusal(rule.name));
            return;
          }
          end = n;
        }
        const next = end + 1;
        if (col === last && this.crlf && end < n && data[end - 1] === CR) end -= 1;
        if (!rule.free) {
          const empty = end === start;
          const value = empty ? null : quoted ? unquote(data.subarray(start, end)) : data.subarray(start, end);
          if (!accepts(rule, value)) {
            callback(new GateRefusal(rule.name));
            return;
          }
          if (empty && rule.defaultField) {
            if (start > emitted) out.push(data.subarray(emitted, start));
            out.push(rule.defaultField);
            emitted = start;
          }
        }
        if (suffix && col === last) {
          out.push(data.subarray(emitted, end), suffix);
          emitted = end;
        }
        i = next;
      }
      record = i;
    }
    if (record > emitted) out.push(data.subarray(emitted, Math.min(record, n)));
    if (out.length) this.push(out.length === 1 ? out[0] : Buffer.concat(out));
    if (record < n) this.carry = Buffer.from(data.subarray(record));
    callback();
  }
}
