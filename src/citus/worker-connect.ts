import { connect, type Pool } from '../db/connect.js';
import type { TlsSetting } from '../db/tls.js';
import type { CitusNode } from './detect.js';

/**
 * A one-connection session on a worker, with the coordinator's database, user, password and
 * TLS settings (a Citus cluster shares them: the coordinator itself connects that way), and
 * shards visible (Citus hides them from ordinary sessions on a worker).
 */
export async function connectWorker(coordinator: Pool, node: CitusNode): Promise<Pool> {
  const o = coordinator.options as unknown as { database: string; user: string; pass?: string | null; ssl: TlsSetting };
  const worker = connect({
    host: node.host,
    port: node.port,
    database: o.database,
    user: o.user,
    password: typeof o.pass === 'string' ? o.pass : undefined,
    // The same TLS settings, but verify-full checks the worker's certificate against the worker's name.
    ssl: typeof o.ssl === 'object' ? { ...o.ssl, host: node.host } : o.ssl,
    source: 'DATABASE_URL',
    from: `the coordinator's pg_dist_node`,
    display: node.address,
  }, { max: 1 });
  await worker`set citus.override_table_visibility = off`;
  return worker;
}
