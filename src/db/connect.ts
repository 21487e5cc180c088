import postgres from 'postgres';
import type { ConnectionConfig } from './config.js';
import { TenantctlError } from '../errors.js';

export type Sql = postgres.Sql<Record<string, never>>;

/** Connection-level failures worth a friendly message instead of a stack trace. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'CONNECT_TIMEOUT', 'ECONNRESET', '28P01', '28000', '3D000']);

/**
 * A postgres.js pool for this connection.
 * @param max pool size; a fleet migration with `--concurrency N` needs N + 1. @default 4
 */
export function connect(config: ConnectionConfig, options: { max?: number; debug?: (query: string) => void } = {}): Sql {
  return postgres({
    host: config.socketPath ? undefined : config.host,
    path: config.socketPath,
    port: config.port,
    database: config.database,
    username: config.user,
    password: config.password,
    ssl: config.ssl as postgres.Options<Record<string, never>>['ssl'],
    max: options.max ?? 4,
    // A fleet run holds connections open between tenants; a dead network should not hang it forever.
    connect_timeout: 10,
    idle_timeout: 30,
    onnotice: () => undefined,
    debug: options.debug ? (_connection, query) => options.debug!(query) : undefined,
    connection: { application_name: config.applicationName ?? 'tenantctl' },
  }) as Sql;
}

/** Turn a connection failure into an error that names the server (never the password). */
export function explainConnectError(error: unknown, config: ConnectionConfig): unknown {
  const code = (error as { code?: string }).code;
  if (!code || !CONNECT_ERRORS.has(code)) return error;
  const where = `${config.display} (from ${config.source})`;
  const messages: Record<string, [string, string]> = {
    '28P01': [`Password authentication failed for user "${config.user}" at ${where}.`, 'Check the password in the URL, PGPASSWORD or your .pgpass file.'],
    '28000': [`The server rejected user "${config.user}" at ${where}.`, 'Check pg_hba.conf on the server and the user name.'],
    '3D000': [`Database "${config.database}" does not exist at ${where}.`, `Create it (createdb ${config.database}) or point at another database.`],
  };
  const [message, hint] = messages[code] ?? [`Cannot connect to ${where}: ${code}.`, 'Is the server running and reachable? Start the embedded one with `tenantctl db start`.'];
  return new TenantctlError('CONNECTION_FAILED', message, { hint, details: { code, source: config.source }, cause: error });
}
