import { isPgError, TenantctlError, type PgError } from '../errors.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import type { ConnectionConfig } from './config.js';
import { explainConnectError } from './connect.js';

/**
 * The one place where server errors that any command can meet become errors a person can
 * act on: connection failures, a role without the privileges tenantctl needs, a database
 * without tenantctl's tables. Errors a command explains itself (TenantctlError) pass
 * through untouched; anything else stays as it is (the CLI shows its message, and the
 * stack only under --debug).
 * @param registries the tenant registries a missing relation is recognised as: the command's
 *   profile's, or every built-in profile's when the command runs without one @default none
 */
export function explainDatabaseError(error: unknown, config?: ConnectionConfig, registries: readonly RegistrySpec[] = []): unknown {
  if (error instanceof TenantctlError) return error;
  if (config) {
    const connect = explainConnectError(error, config);
    if (connect !== error) return connect;
  }
  const where = config ? `database "${config.database}" at ${config.host}:${config.port}` : 'this database';
  // A session the server ends mid-statement (pg_terminate_backend: 57P01, a shutdown, a
  // crash: 57P02) reaches postgres.js as the socket closing, its own CONNECTION_CLOSED.
  if ((error as { code?: unknown })?.code === 'CONNECTION_CLOSED' && !isPgError(error)) {
    return new TenantctlError('CONNECTION_LOST', `The server closed the connection to ${where} while a statement ran (the session was terminated, or the server shut down or restarted).`, {
      hint: 'Run again when the server is back; the statement\'s transaction was rolled back. If it happens again, the server log says who ended the session.',
      details: { code: 'CONNECTION_CLOSED', ...(config ? { database: config.database, user: config.user } : {}) },
      cause: error,
    });
  }
  if (!isPgError(error)) return error;
  const role = config ? `"${config.user}"` : 'this role';
  const explain = EXPLAINERS[error.code] ?? EXPLAINERS[error.code.slice(0, 2)];
  const found = explain?.(error, { where, role, from: config?.from, registries });
  if (!found) return error;
  return new TenantctlError(found.code, found.message, { hint: found.hint, details: { sqlstate: error.code, ...(config ? { database: config.database, user: config.user } : {}) }, cause: error });
}

type Explained = { code: string; message: string; hint: string };
type Explainer = (error: PgError, at: { where: string; role: string; from?: string; registries: readonly RegistrySpec[] }) => Explained | undefined;

const GRANTS: Record<string, (name: string, role: string) => string> = {
  schema: (name, role) => `GRANT USAGE ON SCHEMA ${name} TO ${role}; plus SELECT on the tables the command reads`,
  table: (name, role) => `GRANT SELECT ON ${name} TO ${role}; plus INSERT, UPDATE, DELETE for commands that change data`,
  sequence: (name, role) => `GRANT USAGE, SELECT ON SEQUENCE ${name} TO ${role};`,
};

/**
 * A value the database's encoding cannot hold (22P05 names it last: `… has no equivalent in
 * encoding "LATIN1"`), or bytes that are no text in the encoding named (22021).
 */
function encodingError(error: PgError, where: string): Explained {
  const untranslatable = error.code === '22P05';
  const encoding = (untranslatable ? /in encoding "([^"]+)"\s*$/ : /for encoding "([^"]+)"/).exec(error.message)?.[1];
  return {
    code: 'ENCODING',
    message: untranslatable
      ? `A value holds a character that the database encoding${encoding ? ` ${encoding}` : ''} of ${where} cannot store: ${error.message}.`
      : `A value is not valid ${encoding ?? 'text'} for ${where}: ${error.message}.`,
    hint: untranslatable
      ? `Replace the character in the input, or move to a database created with ENCODING 'UTF8' (a database's encoding cannot be changed in place: dump, create the new database, restore). Check it with SHOW server_encoding. Nothing was written by the failed statement.`
      : "If the value came from the input, save it as UTF-8 (a NUL byte, 0x00, is never allowed in text) and run again. If the database already holds it (a SQL_ASCII database stores any bytes unchecked: SHOW server_encoding), no command can read that row as text until the stored value is corrected in place (rows holding bytes above 0x7F: WHERE col ~ '[^\\x01-\\x7F]'). Nothing was written by the failed statement.",
  };
}

/** A server message as the end of a sentence: one line, one final stop (never "?."). */
function sentence(message: string): string {
  const text = message.replace(/\s*\n\s*/g, ' ').trim();
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/**
 * A Citus coordinator that cannot reach one of its workers reports it as its own 08006 in an
 * ordinary statement ("connection to the remote node user@host:port failed …", or for a
 * size: "could not connect to host:port to get size of relation …"): the
 * connection to the coordinator is fine, the worker is what is down.
 */
function remoteNodeError(error: PgError, where: string): Explained | undefined {
  const node = (/connection to the remote node (?:[^@\s]+@)?(\S+) failed/.exec(error.message) ?? /^could not connect to (\S+) to /.exec(error.message))?.[1];
  if (!node) return undefined;
  return {
    code: 'WORKER_UNAVAILABLE',
    message: `The Citus coordinator (${where}) could not reach its worker ${node}: ${sentence(error.message)}`,
    hint: `Start the worker ${node} (or fix the network between the coordinator and it), then run again; the statement's transaction was rolled back. \`tenantctl monitor nodes\` shows which workers answer.`,
  };
}

const EXPLAINERS: Record<string, Explainer> = {
  // insufficient_privilege
  '42501': (error, { where, role }) => {
    const [, kind = '', name = ''] = /permission denied for (\w+) (\S+)/.exec(error.message) ?? [];
    // A function tenantctl calls but does not own (an extension's, e.g. pg_stat_statements_reset)
    // is the superuser's who created it: the schema owner cannot call it more than this role can.
    if (kind === 'function' || kind === 'procedure') {
      return {
        code: 'PERMISSION_DENIED',
        message: `Role ${role} may not call the ${kind} ${name} in ${where}: ${error.message}.`,
        hint: `Run the command as a superuser, or have a superuser (or the ${kind}'s owner) grant it: GRANT EXECUTE ON ${kind.toUpperCase()} ${name}(<its argument types, as \\df ${name} shows them>) TO ${role};`,
      };
    }
    const grant = GRANTS[kind === 'relation' || kind === 'view' ? 'table' : kind];
    return {
      code: 'PERMISSION_DENIED',
      message: `Role ${role} lacks a privilege tenantctl needs in ${where}: ${error.message}.`,
      hint: `${grant ? `Grant it: ${grant(name, role)}. Or run` : 'Run'} tenantctl as the role that owns its schemas (the one that ran \`tenantctl migrate up\`).`,
    };
  },
  // undefined_table
  '42P01': (error, { where, from, registries }) => {
    const [, relation = ''] = /relation "([^"]+)" does not exist/.exec(error.message) ?? [];
    const registry = registries.find((r) => relation === `${r.schema}.${r.table}` || relation === r.table);
    return {
      code: registry ? 'REGISTRY_MISSING' : 'TABLE_MISSING',
      message: registry
        ? `The tenant registry table ${registry.schema}.${registry.table} is missing in ${where}.`
        : `The table ${relation || '(unknown)'} does not exist in ${where}: ${error.message}.`,
      hint: `If this is a new database, run \`tenantctl migrate up\` first; otherwise this is the wrong database${from ? ` (it came from ${from})` : ''}: point at the right one with --database-url or DATABASE_URL.`,
    };
  },
  // invalid_schema_name
  '3F000': (error, { where }) => ({
    code: 'SCHEMA_MISSING',
    message: `A schema tenantctl expects is missing in ${where}: ${error.message}.`,
    hint: 'Run `tenantctl migrate up` (and `tenantctl migrate status` to see which tenants lack their schema), or check that this is the right database.',
  }),
  // too_many_connections
  '53300': (error, { where }) => ({
    code: 'TOO_MANY_CONNECTIONS',
    message: `The server refused another connection to ${where}: ${error.message}.`,
    hint: 'Wait for other clients to finish, lower --concurrency/--jobs, or raise max_connections on the server.',
  }),
  // connection_exception (class 08) and the server shutting down (57P01-57P03)
  '08': (error, { where }) => remoteNodeError(error, where) ?? { code: 'CONNECTION_LOST', message: `The connection to ${where} failed: ${sentence(error.message)}`, hint: 'Check the server and the network, then run again; the work of the failed transaction was rolled back.' },
  // lock_not_available: a lock_timeout (the monitor's 2 s, or the server's or role's) ran out
  '55P03': (error, { where }) => ({
    code: 'LOCK_TIMEOUT',
    message: `Gave up waiting for a lock on ${where}: ${error.message} (another session holds it, e.g. a migration's ACCESS EXCLUSIVE lock on the table).`,
    hint: 'See who holds it: select pid, state, query from pg_stat_activity where pid = any(pg_blocking_pids(<pid>)) — or run again once that transaction has ended. Nothing was changed by the statement that waited.',
  }),
  // read_only_sql_transaction: a standby, or default_transaction_read_only (server, database,
  // role or PGOPTIONS)
  '25006': (error, { where }) => ({
    code: 'READ_ONLY',
    message: `The database is read-only (a standby, or default_transaction_read_only): ${where} refused a write: ${error.message}.`,
    hint: 'Point tenantctl at the primary rather than a standby; on the primary, see where default_transaction_read_only = on comes from (SHOW default_transaction_read_only; ALTER ROLE/DATABASE … SET, postgresql.conf, or PGOPTIONS) and turn it off for the role that runs tenantctl. The statement\'s transaction was rolled back.',
  }),
  // query_canceled: statement_timeout ran out, or someone canceled the statement
  '57014': (error, { where, role }) =>
    /statement timeout/i.test(error.message)
      ? {
          code: 'STATEMENT_TIMEOUT',
          message: `A statement on ${where} ran longer than statement_timeout allows and was canceled: ${error.message}.`,
          hint: `Raise statement_timeout for the role that runs tenantctl (ALTER ROLE ${role} SET statement_timeout = '1h'; or = 0 for none), or for one run: PGOPTIONS='-c statement_timeout=0' tenantctl …. The statement's transaction was rolled back.`,
        }
      : {
          code: 'STATEMENT_CANCELED',
          message: `A statement on ${where} was canceled: ${error.message} (pg_cancel_backend from another session, or an interrupt).`,
          hint: "Run again once whoever canceled it agrees; the statement's transaction was rolled back.",
        },
  // character_not_in_repertoire / untranslatable_character: a value the encoding cannot hold
  '22021': (error, { where }) => encodingError(error, where),
  '22P05': (error, { where }) => encodingError(error, where),
  '57P01': (error, { where }) => ({ code: 'CONNECTION_LOST', message: `The server ended the session on ${where}: ${error.message}.`, hint: 'The server was shut down or the session was terminated; run again when it is back. The failed transaction was rolled back.' }),
  '57P02': (error, { where }) => ({ code: 'CONNECTION_LOST', message: `The server ended the session on ${where}: ${error.message}.`, hint: 'The server crashed or restarted; run again when it is back. The failed transaction was rolled back.' }),
  '57P03': (error, { where }) => ({ code: 'CONNECTION_FAILED', message: `The server at ${where} is not accepting connections yet: ${error.message}.`, hint: 'It is starting up or shutting down; run again in a moment.' }),
};
