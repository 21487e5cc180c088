import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/** Something in a tenant schema that blocks (or weakens) it as a distributed schema. */
export interface SchemaFinding {
  kind: 'foreign_key_out' | 'trigger' | 'int_sequence' | 'matview' | 'no_replica_identity';
  object: string;
  detail: string | null;
  /** true: citus_schema_distribute (or inserts through workers) would fail; false: a caveat. */
  blocks: boolean;
  why: string;
}

const WHY: Record<SchemaFinding['kind'], (f: { object: string; detail: string | null }) => string> = {
  foreign_key_out: (f) => `foreign key from ${f.object} to ${f.detail}, which is neither in the schema nor a reference table: make ${f.detail} a reference table (citus distribute does this for shared tables) or drop the key`,
  trigger: (f) => `trigger ${f.detail} on ${f.object}: Citus refuses triggers on distributed tables unless citus.enable_unsafe_triggers is on (tenantctl sets it for distribute and restore); check it only touches the same tenant`,
  int_sequence: (f) => `${f.object} is ${/^[aeiou]/.test(f.detail ?? '') ? 'an' : 'a'} ${f.detail} sequence: inserts routed through workers need bigint sequences (ALTER SEQUENCE ${f.object} AS bigint)`,
  matview: (f) => `materialized view ${f.object} stays a local object on the coordinator, away from the tenant's data`,
  no_replica_identity: (f) => `${f.object} has no primary key or replica identity: moves of this tenant block writes instead of running online`,
};

/**
 * What stands between one schema and a distributed schema. Foreign keys to reference
 * tables are allowed by Citus, so they are left out.
 * @param referenceTables qualified names of the cluster's reference tables (empty off Citus)
 */
export async function schemaFindings(sql: Sql, schema: string, referenceTables: ReadonlySet<string>): Promise<SchemaFinding[]> {
  const rows = await query<{ kind: SchemaFinding['kind']; object: string; detail: string | null }>(sql, 'citus/schema-blockers', [schema]);
  return rows
    .filter((r) => !(r.kind === 'foreign_key_out' && r.detail && referenceTables.has(r.detail)))
    .map((r) => ({ ...r, blocks: r.kind === 'foreign_key_out' || r.kind === 'int_sequence', why: WHY[r.kind](r) }));
}

/** Statements in tenant migrations that behave differently inside a distributed schema. */
export interface MigrationFinding {
  file: string;
  statement: 'create table as' | 'create materialized view';
  why: string;
}

const MIGRATION_TRAPS: readonly [RegExp, MigrationFinding['statement'], string][] = [
  [/\bcreate\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?[\w."]+\s*(?:\([^;]*?\)\s*)?as\b/i, 'create table as', 'CREATE TABLE AS in a distributed schema leaves a local copy on the coordinator: create the table, then INSERT … SELECT'],
  [/\bcreate\s+materialized\s+view\b/i, 'create materialized view', 'materialized views stay local on the coordinator'],
];

/** Scan tenant migrations for statements that a distributed schema handles differently. */
export function migrationFindings(migrations: readonly { file: string; up: { sql: string } }[]): MigrationFinding[] {
  const found: MigrationFinding[] = [];
  for (const m of migrations) {
    for (const [pattern, statement, why] of MIGRATION_TRAPS) if (pattern.test(m.up.sql)) found.push({ file: m.file, statement, why });
  }
  return found;
}
