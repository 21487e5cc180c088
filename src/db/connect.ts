import { Socket } from 'node:net';
import postgres from 'postgres';
import type { ConnectionConfig } from './config.js';
import { isPgError, TenantctlError, type PgError } from '../errors.js';
import { holdsSessionLock } from './session-locks-held.js';
import { trackQueries } from './in-flight.js';

/**
 * What runs queries: the pool, one of its transactions or savepoints, or a reserved connection.
 * Code that only queries takes this, so that it runs inside whichever the caller holds.
 */
export type Sql = postgres.ISql<Record<string, never>>;
/** The process's pool: transactions (begin), reserved connections (reserve), its options, end. */
export type Pool = postgres.Sql<Record<string, never>>;
/** A transaction (or savepoint) of the pool: savepoint() besides what Sql does. */
export type Tx = postgres.TransactionSql<Record<string, never>>;

type ArrayCodec = {
  arrayParser: (x: string, parser: unknown, typarray: number) => unknown;
  arraySerializer: (xs: unknown[], serializer: unknown, options: unknown, typarray: number) => string;
};
// postgres.js's own array codecs (not exported by the package; pinned at 3.4 in package.json).
const codec = (await import(new URL('types.js', import.meta.resolve('postgres')).href)) as ArrayCodec;

/** Element type oid → array type oid of the built-in types tenantctl sends or reads as arrays. */
const BUILTIN_ARRAYS: readonly [number, number][] = [
  [16, 1000], [17, 1001], [18, 1002], [19, 1003], [20, 1016], [21, 1005], [23, 1007], [25, 1009], [26, 1028],
  [114, 199], [700, 1021], [701, 1022], [869, 1041], [1042, 1014], [1043, 1015], [1082, 1182], [1114, 1115],
  [1184, 1185], [1700, 1231], [2950, 2951], [3802, 3807],
];

/** What postgres.js's fetch_types would do, for the built-in types only. */
function registerBuiltinArrays(sql: Pool): void {
  const options = sql.options as unknown as {
    parsers: Record<number, ((x: string) => unknown) & { array?: boolean }>;
    serializers: Record<number, (x: unknown) => string>;
    shared: { typeArrayMap: Record<number, number> };
  };
  for (const [oid, typarray] of BUILTIN_ARRAYS) {
    const parser = options.parsers[oid];
    options.shared.typeArrayMap[oid] = typarray;
    options.parsers[typarray] = Object.assign((xs: string) => codec.arrayParser(xs, parser, typarray), { array: true });
    options.serializers[typarray] = (xs: unknown) => codec.arraySerializer(xs as unknown[], options.serializers[oid], options, typarray);
  }
}

/** Connection-level failures worth a friendly message instead of a stack trace. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'CONNECT_TIMEOUT', 'ECONNRESET', '28P01', '28000', '3D000']);

/**
 * A postgres.js pool for this connection.
 * @param max pool size; a fleet migration with `--concurrency N` needs N + 1. @default 4
 * @param rowSecurity false: every session runs with row_security = off, so row-level security
 *   never hides rows: a role that a policy would filter gets an error (mapped to RLS_BLOCKS by
 *   explainRowSecurity, naming BYPASSRLS) instead of reading or deleting 0 rows. Commands
 *   connect this way (commands/shared.ts). @default the server's setting
 * @param settings more session settings as startup parameters (`lock_timeout` from a command's
 *   --lock-timeout); the ones the code depends on (SESSION_SETTINGS) cannot be overridden
 */
export function connect(config: ConnectionConfig, options: { max?: number; debug?: (query: string) => void; rowSecurity?: false; detachable?: boolean; settings?: Record<string, string> } = {}): Pool {
  // Over TLS the socket postgres.js writes to is a wrapper of this one: such a pool closes the
  // ordinary way (with sslmode prefer, the default, once the server has taken up TLS).
  const sockets = options.detachable && (config.ssl === false || config.ssl === 'prefer') ? new Set<Socket>() : undefined;
  const sql = postgres({
    // As lists: postgres.js reads a host string as `host:port,host:port`, which an IPv6 address
    // (::1) would be cut into. A ConnectionConfig names one host (config.ts refuses several).
    ...(config.socketPath ? { path: config.socketPath } : { host: [config.host] as unknown as string, port: [config.port] as unknown as number }),
    database: config.database,
    username: config.user,
    password: config.password,
    ssl: config.ssl as postgres.Options<Record<string, never>>['ssl'],
    max: options.max ?? 4,
    // A fleet run holds connections open between tenants; a dead network should not hang it forever.
    // libpq's connect_timeout when one was given (0: for ever; postgres.js times out at once on 0).
    connect_timeout: config.connectTimeout === undefined ? 10 : config.connectTimeout === 0 ? 2_147_483 : config.connectTimeout,
    idle_timeout: 30,
    onnotice: () => undefined,
    // postgres.js would load every array type on each new connection; every tenant table adds a
    // row type and its array type, so with thousands of schemas that alone costs more than the
    // work. registerBuiltinArrays() below teaches it the built-in array types instead.
    fetch_types: false,
    debug: options.debug ? (_connection, query) => options.debug!(query) : undefined,
    connection: {
      application_name: config.applicationName ?? 'tenantctl',
      ...(config.options ? { options: config.options } : {}),
      ...options.settings,
      ...SESSION_SETTINGS,
      ...(options.rowSecurity === false ? { row_security: 'off' } : {}),
    },
    // postgres.js's `socket` option (documented, missing from its types): a socket it does not open itself.
    ...(sockets ? { socket: () => openSocket(config, sockets) } : {}),
  }) as Pool;
  registerBuiltinArrays(sql);
  // So that a process stopped at once by a signal can cancel what it has running (in-flight.ts).
  trackQueries(sql);
  if (sockets) detachableSockets.set(sql, sockets);
  return sql;
}

/**
 * Settings every session starts with (startup parameters), whatever the server, database or
 * role defaults are: the code reads results and writes files under these.
 * - DateStyle ISO: postgres.js reads a timestamp with `new Date(text)`, which takes
 *   `30/11/2026 19:01:37 IST` (datestyle SQL, DMY) as 11 June, or as no date at all; a
 *   retention cutoff read that way deletes rows newer than it. ISO text also carries a numeric
 *   offset, never an abbreviation another reader may take for another zone (IST: India or
 *   Israel), so exports and COPY files read back the same anywhere. The session's TimeZone is
 *   kept: it is the server's, which current_date and local times should follow.
 * - IntervalStyle postgres, bytea hex, standard strings: the forms the code and postgres.js parse.
 * - read committed: tenantctl's transactions take their locks for read committed (a
 *   serializable default fails concurrent provisioning with serialization errors that have
 *   nothing to do with the data); the few that need a snapshot say so in their BEGIN.
 */
const SESSION_SETTINGS = {
  DateStyle: 'ISO, MDY',
  IntervalStyle: 'postgres',
  bytea_output: 'hex',
  standard_conforming_strings: 'on',
  default_transaction_isolation: 'read committed',
} as const;

/** The open sockets of each pool made with `detachable`, for closePool(). */
const detachableSockets = new WeakMap<Pool, Set<Socket>>();
/** Those of them of which one went over to TLS (sslmode prefer, to a server that offers it). */
const wentTls = new WeakSet<Set<Socket>>();

/**
 * What postgres.js does for a plain connection (a Unix socket or one host, the only kinds a
 * ConnectionConfig names), keeping the socket in `sockets` while it is open. postgres.js
 * writes its startup message at once; the socket holds it until connected.
 */
function openSocket(config: ConnectionConfig, sockets: Set<Socket>): Socket {
  const socket = new Socket();
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
  // With sslmode prefer the server's first byte answers postgres.js's SSLRequest: 'S', and
  // postgres.js goes on over TLS on top of this socket.
  if (config.ssl === 'prefer') socket.once('data', (reply: Buffer) => void (reply[0] === 0x53 && wentTls.add(sockets)));
  if (config.socketPath) socket.connect(config.socketPath);
  else socket.connect(config.port, config.host);
  return socket;
}

/**
 * Close a pool. sql.end() sends Terminate on each connection and then waits until the server
 * closes the socket, that is until the backend has exited: 5–10 ms for a backend that created
 * a tenant, 50–60 ms for one that has read the catalog of 1.77 million relations. That wait
 * is needed only when something may be left on the server: a statement still running on
 * another connection after a failure, or a session lock whose release was not confirmed.
 * Otherwise (`waitForServer` false and no such lock) each socket closes on this side as soon as
 * Terminate and our end of the connection are written, and the backends exit on their own just
 * after, holding nothing. A pool opened without `detachable` (or gone over to TLS) closes the ordinary way.
 */
export async function closePool(sql: Pool, waitForServer: boolean): Promise<void> {
  const sockets = detachableSockets.get(sql);
  if (!sockets || wentTls.has(sockets) || waitForServer || holdsSessionLock(sql)) return sql.end({ timeout: 5 });
  await sql.end({ timeout: 0 }); // Terminate written (or queued) on every connection, without waiting for the server
  await Promise.all([...sockets].filter((socket) => !socket.destroyed).map((socket) => new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    // A socket that Terminate was queued on closes once it is written; one never ended (still connecting) at once.
    if (socket.writableEnded && !socket.writableFinished) socket.once('finish', () => socket.destroy());
    else socket.destroy();
  })));
}

/** node:tls's codes for a certificate it would not accept, or a handshake that failed. */
function isTlsFailure(code: string): boolean {
  return /CERT|^ERR_TLS_|^ERR_SSL_|^HOSTNAME_MISMATCH$/.test(code);
}

/** A TLS handshake that failed: which server, why, and what to change (not an internal error). */
function tlsFailure(error: Error & { code: string }, config: ConnectionConfig): TenantctlError {
  const where = `${config.display} (from ${config.from})`;
  const mode = config.sslmode ?? 'prefer';
  const reason = error.message.trim();
  const [message, hint] = error.code === 'ERR_TLS_CERT_ALTNAME_INVALID'
    ? [`The TLS certificate of ${where} does not name the host "${config.host}" (sslmode=${mode}): ${reason}`, 'Connect by a name the certificate bears (verify-full checks it), or use sslmode=verify-ca to check only who signed it.']
    : !error.code.startsWith('ERR_')
      // OpenSSL's verification codes (SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED …).
      ? [`The TLS certificate of ${where} could not be verified (sslmode=${mode}): ${reason}.`, 'Point sslrootcert (or PGSSLROOTCERT; default ~/.postgresql/root.crt) at the certificate of the CA that signed the server\'s certificate.']
      : error.code.includes('CERTIFICATE_REQUIRED')
        ? [`The server at ${where} wants a client certificate, and none was sent (sslmode=${mode}).`, 'Point sslcert and sslkey (or PGSSLCERT and PGSSLKEY; default ~/.postgresql/postgresql.crt and .key) at a certificate the server accepts.']
        : [`The TLS handshake with ${where} failed (sslmode=${mode}): ${reason}.`, 'Check the TLS settings (sslmode, sslrootcert, sslcert, sslkey) against the server\'s.'];
  return new TenantctlError('CONNECTION_FAILED', message, { hint, details: { code: error.code, source: config.source }, cause: error });
}

/**
 * What the server says, ending the session at its start (FATAL), about a setting it was handed
 * there: a value it refuses (22023), a parameter it does not know (42704), one this role may not
 * set (42501) or one that cannot be set now (55P02).
 */
const STARTUP_SETTING_ERRORS = new Set(['22023', '42704', '42501', '55P02']);

/**
 * A setting of libpq's `options` (URL parameter, service file or PGOPTIONS) that the server
 * refused when the connection started: the configuration is wrong, not the work (exit 2), and
 * the message names where to fix it rather than calling it unexpected.
 */
function optionsRefused(error: PgError, config: ConnectionConfig): TenantctlError | undefined {
  if (!config.options || error.severity !== 'FATAL' || !STARTUP_SETTING_ERRORS.has(error.code)) return undefined;
  return new TenantctlError('CONFIG_OPTIONS', `${config.display} (from ${config.from}) refused the connection's options ${JSON.stringify(config.options)}: ${error.message}.`, {
    hint: 'Fix or remove the setting in the options URL parameter (options=-c%20name%3Dvalue), the service file\'s options, or PGOPTIONS, whichever sets it; `SHOW <name>` on a working connection shows a valid value. Nothing was changed.',
    details: { sqlstate: error.code, source: config.source },
    exitCode: 2,
    cause: error,
  });
}

/** Turn a connection failure into an error that names the server (never the password). */
export function explainConnectError(error: unknown, config: ConnectionConfig): unknown {
  const refused = isPgError(error) ? optionsRefused(error, config) : undefined;
  if (refused) return refused;
  const code = (error as { code?: string }).code;
  if (code && isTlsFailure(code)) return tlsFailure(error as Error & { code: string }, config);
  if (!code || !CONNECT_ERRORS.has(code)) return error;
  const where = `${config.display} (from ${config.from})`;
  const messages: Record<string, [string, string]> = {
    '28P01': config.password === undefined
      // libpq says "no password supplied" here: none was sent, so none can be wrong.
      ? [`The server asks a password for user "${config.user}" at ${where}, and none was supplied.`, 'Give it in the URL (postgresql://user:password@host/db, %-encoded), PGPASSWORD or a password file (~/.pgpass, PGPASSFILE, passfile=).']
      : [`Password authentication failed for user "${config.user}" at ${where}.`, 'Check the password in the URL, PGPASSWORD or your .pgpass file.'],
    '28000': /certificate/i.test((error as Error).message)
      ? [`The server at ${where} wants a valid client certificate for user "${config.user}" (${(error as Error).message}).`, 'Point sslcert and sslkey (or PGSSLCERT and PGSSLKEY; default ~/.postgresql/postgresql.crt and .key) at a certificate the server accepts, with sslmode require or verify-*.']
      : [`The server rejected user "${config.user}" at ${where}.`, 'Check pg_hba.conf on the server and the user name.'],
    '3D000': [`Database "${config.database}" does not exist at ${where}.`, `Create it (createdb ${config.database}) or point at another database.`],
    // When TLS is required, postgres.js starts it even when the server answers that it has none:
    // the server then hangs up. (With `prefer`, the default, it goes on without TLS instead.)
    ...(config.ssl && config.ssl !== 'prefer'
      ? { ECONNRESET: [`${where} closed the connection when TLS was asked for (sslmode=${config.sslmode}): the server may not accept TLS connections.`, 'Turn ssl on in the server\'s postgresql.conf, or use sslmode=prefer (or disable) where the network is trusted.'] as [string, string] }
      : {}),
  };
  const unreachable = config.source === 'embedded'
    ? 'Is the embedded server running? Start it with `tenantctl db start`.'
    : `Is the server running and reachable at ${config.socketPath ?? `${config.host} port ${config.port}`}? Check the host and port (from ${config.from}).`;
  const [message, hint] = messages[code] ?? [`Cannot connect to ${where}: ${code}.`, unreachable];
  return new TenantctlError('CONNECTION_FAILED', message, { hint, details: { code, source: config.source }, cause: error });
}

// Kept here for its importers; it lives apart so that modules needing only it do not load postgres.js.
export { reserveConnection } from './reserve.js';
