/**
 * What a pooled profile declares about its schema, for what the catalog cannot tell.
 * Data only (JSON-safe): the seam embeds one of these in each pooled profile, and the
 * engine (classify → plan → apply → post-scan) reads nothing else. Table names are
 * unqualified: every table lives in `schema`.
 */
export interface PooledDeclarations {
  /** The one schema holding every table of the system. @default 'public' */
  schema?: string;
  registry: RegistryDeclaration;
  /**
   * Tenant columns the catalog cannot find or cannot choose: a column without a foreign key
   * (`system_logs.organization_id`), or the owner among several foreign keys to the registry
   * (`customer_orders.customer_organization_id` beside `oraseas_organization_id`). A nullable
   * column is fine: NULL marks a platform row, which belongs to no tenant.
   */
  tenantColumns?: { table: string; column: string }[];
  /**
   * The owner path of a row with several parents: the foreign key columns to follow
   * (`inventory` → `warehouse_id`); `orElse`: the foreign keys that own the row, in turn, while
   * every one before them is NULL (an ABParts creation has no `from_warehouse_id`: its
   * `to_warehouse_id` owns it; an adjustment has neither: its machine, else its performer).
   */
  ownerPaths?: { table: string; columns: string[]; orElse?: string[][] }[];
  /** Catalogue tables shared by every tenant (`permissions`, `parts`): never erased, never exported per tenant. */
  globalTables?: string[];
  /** A person table without a tenant column, linked to tenants through a membership table (Prometric `users` via `employees`). */
  sharedIdentity?: SharedIdentityDeclaration;
  /** Per-reference actions that override the defaults (a nullable column that must refuse, a NOT NULL one to anonymize). */
  references?: ReferenceOverride[];
  /** References without a foreign key constraint that act as one (a trigger forbidding the delete, an id column without FK). */
  virtualReferences?: VirtualReference[];
  /**
   * Rows of the erased tenant that other tenants co-own through a column that is not their
   * owner path (a transfer into another tenant's warehouse). Refused, or tombstoned with
   * `sharedRows: 'tombstone'`. Rows of a direct table with a second registry column are found
   * from the catalog and need no declaration.
   */
  coOwned?: { table: string; columns: string[] }[];
  /**
   * Where the tenant's people are: their e-mails (and other identifiers people write into
   * text, such as usernames: one entry per column) are scrubbed from `personalData` columns.
   */
  people?: { table: string; emailColumn: string }[];
  /**
   * Where the tenant's people's names are: the columns joined by one space make a full name
   * (`first_name`, `last_name`), or one column holds it (`name`). Scrubbed from `personalData`
   * columns declared `holds: 'names'`, word-bounded and case-insensitive.
   */
  names?: { table: string; columns: string[] }[];
  /** Personal data outside foreign keys: text or JSON columns holding e-mails or ids of the tenant. */
  personalData?: PersonalDataColumn[];
  /** The placeholder rows that `sharedRows: 'tombstone'` re-points references at. */
  tombstone?: TombstoneDeclaration;
  /** Statements to run after the deletes (a materialized view that holds the tenant's totals). */
  postSteps?: PostStep[];
  /**
   * Filled in by the engine from the catalog, never by a profile: ordinary tables that were
   * partitions of a partitioned table (see detached.ts), declared like their parent.
   */
  detachedPartitions?: { table: string; parent: string }[];
  /** Columns the post-scan must not search (receipts, placeholders). */
  scanExclude?: { table: string; column?: string }[];
}

export interface RegistryDeclaration {
  table: string;
  /** The key other tables reference (`id`). */
  key: string;
  /** What a user types to name a tenant (`name`, `bin`, `slug`). */
  handle: string;
  /** The status column, or null when the registry has none. */
  status: string | null;
  /** Registry rows that no command may erase (the ABParts platform singletons). */
  nonErasable?: { column: string; values: string[]; reason: string };
}

export interface SharedIdentityDeclaration {
  table: string;
  key: string;
  membership: { table: string; personColumn: string; tenantColumn: string };
  /**
   * Columns of the person holding one value for every tenant they belong to (Prometric
   * `organization_role`): for each person the erasure keeps, the plan reports their values.
   */
  personWide?: string[];
}

/** An erasure action for rows of OTHER tenants (or platform rows) that point at the erased tenant's rows. */
export type ReferenceAction = 'refuse' | 'nullify' | 'unlink' | 'tombstone' | 'anonymize';

export interface ReferenceOverride {
  table: string;
  columns: string[];
  /** `tombstone` falls back to `refuse` unless the erasure is run with `sharedRows: 'tombstone'`. */
  action: ReferenceAction;
  /** With `anonymize` (or a tombstone): the other columns to overwrite, value null or a literal. */
  set?: Record<string, string | number | boolean | null>;
  /**
   * Which rows it is for, when the same columns make both kinds: `co-owned`, the tenant's own
   * rows that another tenant shares through these columns (their `set` clears the tenant's
   * personal fields); `reference`, other tenants' rows that point at the tenant through them,
   * whose other columns are theirs. @default both
   */
  kind?: 'reference' | 'co-owned';
  /** Why, for the plan. */
  note?: string;
}

export interface VirtualReference {
  table: string;
  columns: string[];
  references: { table: string; columns: string[] };
  /** What enforces it (`trigger prevent_product_deletion`). */
  enforcedBy: string;
}

export interface PersonalDataColumn {
  table: string;
  column: string;
  /**
   * `emails`: the tenant's people's identifiers (every `people` column: e-mails, usernames);
   * `names`: their full names (every `names` entry; see MIN_NAME_LENGTH in personal.ts);
   * `ids`: ids of the tenant's rows of `of`; `tenant-id`: the registry key; `tenant-handle`:
   * the registry handle (a supplier name typed as text).
   */
  holds: 'emails' | 'names' | 'ids' | 'tenant-id' | 'tenant-handle';
  /** With `holds: 'ids'`: the table whose erased ids appear in the column. */
  of?: string;
  /**
   * scrub: replace the value inside the text (remove the ids from an array); nullify: set the
   * column to `replaceWith` (NULL by default); delete: remove the rows (verification codes sent
   * to the tenant's people, matched by e-mail); report: count and list only.
   */
  action: 'scrub' | 'nullify' | 'delete' | 'report';
  /** With nullify: the value for a NOT NULL column (`00000000-0000-0000-0000-000000000000`). */
  replaceWith?: string;
  /**
   * With scrub or nullify: other columns of a matching row set to NULL with it, on rows whose
   * `whereNull` column is NULL: a row about nobody else that names the person (a failed login
   * for their username) has their IP and user agent too; a row of another person who merely
   * mentions them keeps that person's.
   */
  alongside?: { columns: string[]; whereNull: string };
  /** Set by the engine, never by a profile: a JSON or array column scrubbed without a declaration (catalog-scrubs.ts). */
  found?: 'catalog';
}

export interface TombstoneDeclaration {
  /** One placeholder row per parent table; `key` is the placeholder's key value (a fixed uuid). */
  rows: { table: string; key: string; values: Record<string, string | number | boolean | null> }[];
}

export type PostStep = { kind: 'refresh-materialized-view'; view: string };

/** The schema of a declaration, with its default. */
export const schemaOf = (decl: PooledDeclarations): string => decl.schema ?? 'public';
