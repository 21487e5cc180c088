import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';

/** A worker node of a Citus cluster, as the coordinator registered it. */
export interface CitusNode {
  nodeId: number;
  host: string;
  port: number;
  /** `host:port`, the form users type after `--to` and `--node`. */
  address: string;
}

/** What the connected database is, as far as Citus goes. */
export interface CitusInfo {
  version: string;
  /** `citus.enable_schema_based_sharding` in this session. */
  schemaSharding: boolean;
  /** The active workers: the ones Citus reads and writes. */
  workers: CitusNode[];
  /** Workers registered but disabled (citus_disable_node): Citus leaves them out, and their data with them. */
  disabled: CitusNode[];
}

/** The Citus coordinator facts of the connected database, or null on plain PostgreSQL. */
export async function detectCitus(sql: Sql): Promise<CitusInfo | null> {
  const [row] = await query<{ version: string; schema_sharding: boolean }>(sql, 'citus/detect');
  if (!row) return null;
  const workers = await query<{ nodeid: number; host: string; port: number; active: boolean }>(sql, 'citus/workers');
  const node = (w: (typeof workers)[number]): CitusNode => ({ nodeId: w.nodeid, host: w.host, port: w.port, address: `${w.host}:${w.port}` });
  return {
    version: row.version,
    schemaSharding: row.schema_sharding,
    workers: workers.filter((w) => w.active).map(node),
    disabled: workers.filter((w) => !w.active).map(node),
  };
}

/** Like detectCitus, for commands that make sense only on a coordinator with workers. */
export async function requireCitus(sql: Sql, what: string): Promise<CitusInfo> {
  const info = await detectCitus(sql);
  if (!info) {
    throw new TenantctlError('NOT_CITUS', `${what} needs a Citus coordinator, and this database has no citus extension.`, {
      hint: 'Point --database-url at the coordinator of a Citus cluster (CREATE EXTENSION citus there and add workers with citus_add_node).',
    });
  }
  if (info.workers.length === 0) {
    throw new TenantctlError('NO_WORKERS', `${what} needs worker nodes, and this Citus coordinator has none registered.`, {
      hint: "Add workers on the coordinator: SELECT citus_add_node('host', port);",
    });
  }
  return info;
}

/** Find a worker by `host:port` (as typed after --to / --node), or say which ones exist. */
export function workerAt(info: CitusInfo, address: string, flag: string): CitusNode {
  const node = info.workers.find((w) => w.address === address);
  if (node) return node;
  throw new TenantctlError('UNKNOWN_NODE', `${flag} ${address} is not a worker of this cluster.`, {
    hint: `Workers: ${info.workers.map((w) => w.address).join(', ')}.`,
    details: { address, workers: info.workers.map((w) => w.address) },
    exitCode: 2,
  });
}
