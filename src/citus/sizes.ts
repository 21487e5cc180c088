import type { Sql } from '../db/connect.js';
import { detectCitus } from './detect.js';

/**
 * What the exact-size queries (tenants/list-exact-sizes,
 * monitor/tenant-sizes-exact, monitor/table-sizes-exact: each written once, with `{{sizes.…}}`
 * placeholders) measure a table with here. On a Citus coordinator a distributed
 * table keeps its rows in shards on the workers and only an empty shell here, so it is sized by
 * citus_total_relation_size / citus_table_size (its shards, asked on their nodes);
 * `{{sizes.distributed}}` says which tables those are (the pg_class row is `c`). Elsewhere no
 * table is distributed and the names are PostgreSQL's own (the Citus functions do not exist
 * there). The catalog estimates are the coordinator's either way (docs/citus.md).
 */
export async function sizeNames(sql: Sql): Promise<Readonly<Record<string, string>>> {
  return (await detectCitus(sql)) ? CITUS : PLAIN;
}

const PLAIN = { 'sizes.distributed': 'false', 'sizes.total': 'pg_catalog.pg_total_relation_size', 'sizes.table': 'pg_catalog.pg_table_size' } as const;
const CITUS = {
  'sizes.distributed': 'exists (select 1 from pg_catalog.pg_dist_partition p where p.logicalrelid = c.oid)',
  'sizes.total': 'citus_total_relation_size',
  'sizes.table': 'citus_table_size',
} as const;
