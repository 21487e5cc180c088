import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/** One column as the engine needs it. */
export interface CatalogColumn {
  name: string;
  /** The base type name (`uuid`, `varchar`, `json`, `_uuid` for uuid[] …). */
  type: string;
  /** The type as people write it (`character varying(255)`). */
  display: string;
  /** pg_type.typcategory: S string, U user (uuid, json), A array, E enum, … */
  category: string;
  nullable: boolean;
  generated: boolean;
  /** An index leads with this column. */
  indexed: boolean;
}

/** One table of the pooled schema. */
export interface CatalogTable {
  name: string;
  partitioned: boolean;
  rls: { enabled: boolean; forced: boolean; policies: number };
  primaryKey: string[];
  columns: CatalogColumn[];
}

/** A foreign key between two tables of the pooled schema. */
export interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
  onDelete: 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action';
  /** Every child column nullable: a reference that may be cleared. */
  nullable: boolean;
  /** An index leads with exactly the child columns. */
  indexed: boolean;
}

/** The part of the catalog the engine reads: tables with columns, and foreign keys. */
export interface Catalog {
  schema: string;
  tables: CatalogTable[];
  foreignKeys: ForeignKey[];
}

interface TableRow { table_name: string; partitioned: boolean; rls_enabled: boolean; rls_forced: boolean; policies: number; primary_key: string[] }
interface ColumnRow { table_name: string; column_name: string; type_name: string; type_display: string; type_category: string; nullable: boolean; generated: boolean; indexed: boolean }
interface ForeignKeyRow { constraint_name: string; table_name: string; columns: string[]; parent_table: string; parent_columns: string[]; on_delete: ForeignKey['onDelete']; nullable: boolean; indexed: boolean }

/** Read the tables, columns and foreign keys of one schema (three catalog queries). */
export async function readCatalog(sql: Sql, schema: string): Promise<Catalog> {
  const [tables, columns, foreignKeys] = await Promise.all([
    query<TableRow>(sql, 'pooled/catalog-tables', [schema]),
    query<ColumnRow>(sql, 'pooled/catalog-columns', [schema]),
    query<ForeignKeyRow>(sql, 'pooled/catalog-foreign-keys', [schema]),
  ]);
  return {
    schema,
    tables: tables.map((t) => ({
      name: t.table_name,
      partitioned: t.partitioned,
      rls: { enabled: t.rls_enabled, forced: t.rls_forced, policies: t.policies },
      primaryKey: t.primary_key,
      columns: columns.filter((c) => c.table_name === t.table_name).map((c) => ({
        name: c.column_name, type: c.type_name, display: c.type_display, category: c.type_category, nullable: c.nullable, generated: c.generated, indexed: c.indexed,
      })),
    })),
    foreignKeys: foreignKeys.map((f) => ({
      name: f.constraint_name, table: f.table_name, columns: f.columns, parent: f.parent_table, parentColumns: f.parent_columns,
      onDelete: f.on_delete, nullable: f.nullable, indexed: f.indexed,
    })),
  };
}

/** The table of that name, or undefined. */
export const tableOf = (catalog: Catalog, name: string): CatalogTable | undefined => catalog.tables.find((t) => t.name === name);

/** The column of that table, or undefined. */
export const columnOf = (catalog: Catalog, table: string, column: string): CatalogColumn | undefined =>
  tableOf(catalog, table)?.columns.find((c) => c.name === column);
