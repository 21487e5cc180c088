import type { Pool } from '../db/connect.js';
import { query } from '../db/queries.js';

/**
 * citus_schema_distribute for one schema, in a transaction of its own, with triggers allowed
 * for the call (`citus check` reports them), then the coordinator's local copies emptied:
 * Citus leaves the rows it copied to the shards on the coordinator's disk, where they stay
 * (invisible) after the tenant deletes or erases them. All or nothing: a schema that could
 * not be emptied stays local, as it was.
 */
export async function distributeSchema(sql: Pool, schema: string): Promise<void> {
  await sql.begin(async (t) => {
    await t`select set_config('citus.enable_unsafe_triggers', 'on', true)`;
    await query(t, 'citus/schema-distribute', [schema]);
    await query(t, 'citus/truncate-local-data', [schema]);
  });
}
