import type { ColumnSpec } from './spec.js';

/**
 * Short constructors for column declarations, so that a profile's CSV mapping reads like
 * its table: `text('sku', 100, { required: true })`. The CSV header is the column name.
 */

type Extra = Partial<ColumnSpec>;

export const text = (column: string, maxLength?: number, extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'text', maxLength, ...extra });
export const integer = (column: string, extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'integer', ...extra });
export const numeric = (column: string, precision: number, scale: number, extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'numeric', precision, scale, ...extra });
export const boolean = (column: string, extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'boolean', ...extra });
export const date = (column: string, extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'date', ...extra });
/** timestamp or timestamptz: read and written as UTC ISO 8601 (import sets the session to UTC). */
export const timestamp = (column: string, extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'timestamptz', ...extra });
export const json = (column: string, extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'jsonb', ...extra });
export const textArray = (column: string, extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'text[]', ...extra });
/** A CHECK list (pgType unset) or a native enum type (pgType: its name). */
export const oneOf = (column: string, values: readonly string[], extra: Extra = {}): ColumnSpec => ({ csv: column, column, type: 'enum', values, ...extra });

/** The same column as a child (order line) column: CSV header `item_<column>`. */
export const line = (spec: ColumnSpec): ColumnSpec => ({ ...spec, csv: `item_${spec.csv}` });
