import type { Sql } from '../db/connect.js';
import { detectCitus } from './detect.js';

/** The exact-size queries that have a Citus variant (src/sql/citus/<same file name>). */
export type ExactSizeQuery = 'tenants/list-exact-sizes' | 'tenants/schema-size' | 'monitor/tenant-sizes-exact' | 'monitor/table-sizes-exact';

/**
 * Which query measures exact sizes here: on a Citus coordinator the variant that sizes a
 * distributed table by its shards on the workers (the coordinator holds only an empty
 * shell of it), elsewhere the plain one. The catalog estimates have no variant (docs/citus.md).
 */
export async function exactSizeQuery(sql: Sql, name: ExactSizeQuery): Promise<string> {
  return (await detectCitus(sql)) ? `citus/${name.slice(name.indexOf('/') + 1)}` : name;
}
