/**
 * The vocabulary of CSV entity mappings. An entity (products, orders) is declared once
 * as data (src/csv/entities.ts): the import, the export, the validation and the docs all
 * read the same declaration, so adding a column is one line and no code path.
 */

/** How a CSV value is checked and converted. `text` may carry a maximum length. */
export type ColumnType = 'text' | 'integer' | 'numeric' | 'boolean' | 'timestamptz' | 'date' | 'uuid' | 'jsonb' | 'enum' | 'text[]';

/** Personal data that `export --mask` hides with the tenant's data_masking_rules. */
export type PersonalKind = 'phone' | 'email' | 'address';

export interface ColumnSpec {
  /** Header name in the CSV (matched case-insensitively). */
  csv: string;
  /** Column of the entity's table (or of its child table for child columns). */
  column: string;
  type: ColumnType;
  /** Maximum characters (text, enum). */
  maxLength?: number;
  /** numeric(precision, scale). */
  precision?: number;
  scale?: number;
  /** Allowed values (enum). */
  values?: readonly string[];
  /** Must be in the header and non-empty on every row (child columns: on every line). */
  required?: boolean;
  /** Value used when the field is empty (NULL): the table's NOT NULL default. */
  default?: string | number | boolean;
  /** Personal data masked by `export --mask`. */
  personal?: PersonalKind;
  /**
   * A native enum type of the column (IMSOP `products_status_enum`): values are cast to it
   * on the way in (a text value is refused by an enum column). Unset: a text column with a CHECK.
   */
  pgType?: string;
  /** A generated column: exported, and ignored on import (PostgreSQL computes it). */
  exportOnly?: boolean;
  /**
   * A child column that only names a row through a child link (IMSOP line `item_sku` →
   * products.sku): not a column of the child table; exported from the linked row.
   */
  linkOnly?: boolean;
}

/**
 * CSV columns that name a row of another tenant table instead of holding a value of the
 * entity (orders: `channel`, `channel_type` → the tenant's sales channel). The first column
 * is matched against its table column; missing rows are created when `create` is given.
 */
export interface LookupSpec {
  table: string;
  /** `column` here is a column of the lookup table; the first one is the match key. */
  columns: readonly ColumnSpec[];
  /** Column of the entity's table that receives the referenced row's id. */
  target: string;
  /** Tenant column of the lookup table: only the tenant's own rows are found (pooled). Unset: the whole table (a tenant schema, or a global catalogue). */
  tenantColumn?: string;
  /** Only rows whose `column` holds one of `values` are candidates (ABParts: an order's distributor is an `oraseas_ee` organization). */
  only?: { column: string; values: readonly string[] };
  create?: {
    /** Constant values of the created row (table column → JSON-able value). */
    constants: Record<string, unknown>;
    /** A CSV column whose values must be codes of a shared table (e.g. channel types). */
    codes?: { csv: string; sharedTable: 'channel_types' };
  };
}

/** Child rows: one CSV row per child, parent columns repeated (order lines). */
export interface ChildSpec {
  table: string;
  /** Foreign key column of the child table pointing at the parent's id. */
  parentKey: string;
  columns: readonly ColumnSpec[];
  /** Optional id lookups by a CSV column (order line sku → products.id). Never created. */
  links?: readonly ChildLink[];
}

/** A child column that names a row of another table by a value (order line sku → products.id). */
export interface ChildLink {
  csv: string;
  table: string;
  matchColumn: string;
  target: string;
  /** Only the tenant's own rows match (pooled); unset: the whole table. */
  tenantColumn?: string;
  /** The line is rejected when nothing matches (its target column is NOT NULL). @default false: the id stays empty */
  required?: boolean;
}

/**
 * Which rows of a pooled table are one tenant's. `column` holds the tenant's id, written by
 * the tool (never read from the file); with `through`, `column` holds a row id of another
 * table whose `tenantColumn` is the tenant (ABParts inventory: warehouse_id → warehouses).
 */
export interface TenantScopeSpec {
  column: string;
  through?: { table: string; tenantColumn: string };
}

/** Replace mode marks rows missing from the file instead of deleting them (they are referenced). */
export interface RetireSpec {
  column: string;
  /** The value set; unset: now() (a soft-delete timestamp). */
  value?: string;
  /** The column's native enum type, when it has one. */
  pgType?: string;
}

/** Only tenants whose registry row has one of these values may import the entity (a shared catalogue). */
export interface ImportableBySpec {
  registryColumn: string;
  values: readonly string[];
  /** Why, for the refusal. */
  reason: string;
}

export interface EntitySpec {
  /** products, orders (inventory: ABParts stock). */
  name: string;
  /** Table in the tenant's storage. */
  table: string;
  /** Parent columns in CSV order (export writes them in this order). */
  columns: readonly ColumnSpec[];
  /** CSV columns identifying a row in the file (orders: channel + external_order_id). */
  naturalKey: readonly string[];
  /**
   * Table columns of the unique constraint that ON CONFLICT uses (lookup targets included).
   * Empty: the table has no unique constraint on the natural key (ABParts orders). Rows are
   * then matched by the key among the tenant's own rows, and a key that matches two of them
   * (or, in insert mode, any) is a located error. Such an entity has child rows: lines of
   * one key are one row.
   */
  conflictColumns: readonly string[];
  lookups?: readonly LookupSpec[];
  child?: ChildSpec;
  /** Soft-delete column: export skips deleted rows, import restores them. */
  softDelete?: string;
  /** Column maintained as "last changed" (set to now() only when a row really changes). */
  updatedAt?: string;
  /** Column that --since/--until filter on. */
  dateColumn: string;
  /** Column that --status filters on, when the entity has one. */
  statusColumn?: string;
  /** export_logs.export_type for this entity; unset: the profile has no export_logs table. */
  exportType?: string;
  /** Record imports and exports in public.audit_logs (commerce's platform trail). @default true */
  audited?: boolean;
  /** Pooled: the tenant column that scopes every statement. Unset: the tenant has its own schema, or the table is a shared catalogue. */
  tenant?: TenantScopeSpec;
  /** CSV columns whose values are unique across ALL tenants: a value owned by another tenant is a located error, never an overwrite. */
  globalUnique?: readonly string[];
  retire?: RetireSpec;
  importableBy?: ImportableBySpec;
  /** Why replace mode is refused: it would delete rows that are not the tenant's alone (rows every tenant shares, rows another organization co-owns). */
  noReplace?: string;
}

/** The entity's key is matched among the tenant's rows, not enforced by a unique constraint (see `conflictColumns`). */
export function matchedByKey(entity: EntitySpec): boolean {
  return entity.conflictColumns.length === 0;
}

/** The CSV columns an import writes (generated columns are export-only). */
export function writable(columns: readonly ColumnSpec[]): ColumnSpec[] {
  return columns.filter((c) => !c.exportOnly);
}

/** Every column of an entity in export order: lookups, parent columns, child columns. */
export function allColumns(entity: EntitySpec): ColumnSpec[] {
  return [...(entity.lookups ?? []).flatMap((l) => l.columns), ...entity.columns, ...(entity.child?.columns ?? [])];
}

/** The CSV names of every column of an entity, parent first, in export order. */
export function csvColumns(entity: EntitySpec): string[] {
  return [...(entity.lookups ?? []).flatMap((l) => l.columns.map((c) => c.csv)), ...entity.columns.map((c) => c.csv), ...(entity.child?.columns.map((c) => c.csv) ?? [])];
}
