import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { TenantctlError } from '../errors.js';
import { registerSecret } from '../output/redact.js';
import { lookupPgpass } from './pgpass.js';
import { DEFAULT_SOCKET_DIRS } from './socket-dirs.js';
import { lookupService, type Service } from './pg-service.js';
import { isConnectionVar, readDotenv } from './dotenv.js';
import { checkSslMode, tlsFor, type TlsFiles, type TlsSetting } from './tls.js';

/** Where the connection came from, in the order tenantctl looks. */
export type ConnectionSource = '--database-url' | 'DATABASE_URL' | 'PG* variables' | '.env' | 'embedded' | '--target-url';

/** A resolved connection. `display` is safe to print; the password is never in it. */
export interface ConnectionConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /**
   * postgres.js `ssl`, from sslmode and the certificate settings with libpq's meaning (db/tls.ts):
   * false, 'prefer' (TLS when the server offers it: libpq's default), or node:tls options.
   */
  ssl: TlsSetting;
  sslmode?: string;
  /** The certificate settings as given (URL, service, PGSSLROOTCERT …), for the tools tenantctl runs. */
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** Unix socket path when host is a directory. */
  socketPath?: string;
  applicationName?: string;
  /**
   * libpq's `options` (URL parameter `options`, else PGOPTIONS): command-line switches for the
   * server session, e.g. `-c lock_timeout=5s`. The session settings tenantctl itself needs
   * (db/connect.ts) are sent as their own parameters, which the server applies after these.
   */
  options?: string;
  /** libpq's connect_timeout in seconds (0: wait for ever), when one was given; else tenantctl's default. */
  connectTimeout?: number;
  source: ConnectionSource;
  /** The source as people read it: `.env (/srv/app/.env)`, `PG* variables`, … */
  from: string;
  display: string;
  /** Why a `.env` with connection settings was not used, when it was not. */
  ignored?: string;
}

/** decodeURIComponent that names a bad %-escape instead of throwing a bare URIError. */
function decoded(part: string, what: string, source: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TenantctlError('CONFIG_URL', `The ${what} in ${source} has a bad %-escape (a % must be followed by two hex digits).`, {
      hint: 'Write a literal % as %25, and other special characters of the password as %XX (encodeURIComponent does it).',
      exitCode: 2,
    });
  }
}

type Origin = { source: ConnectionSource; from: string };

/** The URL query parameters tenantctl applies (libpq's names; hostaddr is refused apart). */
const URL_PARAMETERS = ['host', 'port', 'dbname', 'user', 'password', 'passfile', 'service', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'application_name', 'fallback_application_name', 'options', 'connect_timeout'];

/**
 * libpq URL parameters that only tune the TCP connection (keepalives, timeouts on an open
 * socket; compression libpq itself no longer does): accepted, not applied. They change neither
 * where nor how securely tenantctl connects, and URLs copied from an application carry them.
 */
const TUNING_PARAMETERS = ['keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'sslcompression'];

/**
 * Parameters client libraries add to the URL an application keeps in its `.env` (Prisma's
 * schema, connection_limit, pool_timeout, pgbouncer, statement_cache_size, socket_timeout): they
 * configure that library's pool, not libpq's connection, so tenantctl takes the URL and leaves
 * them aside, as it did before it checked parameters at all.
 */
const CLIENT_LIBRARY_PARAMETERS = ['schema', 'connection_limit', 'pool_timeout', 'pgbouncer', 'statement_cache_size', 'socket_timeout'];

/**
 * libpq settings that tighten or change how a connection is made, which tenantctl does not
 * apply: the URL parameter and the variable of each, with the values that ask for nothing more
 * than what tenantctl does. Set to anything else they are refused: connecting without what
 * they ask for (a CRL, channel binding, a read-write server …) would be a quiet downgrade, and
 * pg_dump or psql would connect otherwise than tenantctl. (Session defaults such as PGTZ, and
 * connect_timeout, are not among them.) client_encoding: every session of tenantctl speaks
 * UTF-8 (PGCLIENTENCODING is left to the tools, which print in it).
 */
const UNAPPLIED: readonly { parameter: string; variable?: string; harmless: readonly string[] }[] = [
  { parameter: 'requiressl', variable: 'PGREQUIRESSL', harmless: ['0'] },
  { parameter: 'gssencmode', variable: 'PGGSSENCMODE', harmless: ['disable', 'prefer'] },
  { parameter: 'channel_binding', variable: 'PGCHANNELBINDING', harmless: ['disable', 'prefer'] },
  { parameter: 'require_auth', variable: 'PGREQUIREAUTH', harmless: [] },
  { parameter: 'target_session_attrs', variable: 'PGTARGETSESSIONATTRS', harmless: ['any'] },
  { parameter: 'sslcrl', variable: 'PGSSLCRL', harmless: [] },
  { parameter: 'sslcrldir', variable: 'PGSSLCRLDIR', harmless: [] },
  { parameter: 'sslpassword', variable: 'PGSSLPASSWORD', harmless: [] },
  { parameter: 'sslnegotiation', variable: 'PGSSLNEGOTIATION', harmless: ['postgres'] },
  { parameter: 'client_encoding', harmless: ['UTF8', 'utf8', 'UTF-8', 'utf-8', 'auto'] },
];
const UNAPPLIED_VARIABLES = UNAPPLIED.flatMap((u) => (u.variable ? [u.variable] : []));

/**
 * The URL's query parameters as libpq reads them: `key=value` pairs split on `&`, each
 * %-decoded and nothing else. URLSearchParams decodes forms, where `+` is a space:
 * `?dbname=shop+eu` would name database "shop eu" (and a `+` in a password would be lost).
 */
function queryParams(search: string, from: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decoded(eq < 0 ? pair : pair.slice(0, eq), 'query parameter name', from);
    const value = decoded(eq < 0 ? '' : pair.slice(eq + 1), `${key} parameter`, from);
    // As an empty variable, an empty parameter is one not given (?dbname= is the default database).
    if (!value) continue;
    // libpq reads ssl=true (JDBC's spelling) as sslmode=require.
    if (key === 'ssl' && value === 'true') params.set('sslmode', 'require');
    else params.set(key, value);
  }
  return params;
}

function fromUrl(url: string, origin: Origin, env: NodeJS.ProcessEnv): ConnectionConfig {
  const { from } = origin;
  // `postgresql:/user:pw@host/db` (one slash, or none) parses as a URL with NO host: the whole
  // rest, password included, would be the database name, sent to localhost:5432 and printed in
  // every message. Refused, without repeating what was given.
  if (/^postgres(?:ql)?:(?!\/\/)/i.test(url)) {
    throw new TenantctlError('CONFIG_URL', `${from} starts with "${url.slice(0, url.indexOf(':') + 1)}" but not "${url.slice(0, url.indexOf(':') + 1)}//": the host and user would be read as a database name.`, {
      hint: 'Write it as postgresql://user@host[:port]/database (two slashes after the colon; a password goes after the user name and a colon, %-encoded).',
      exitCode: 2,
    });
  }
  // The host and port as typed: after the last @ of what lies between // and the first / ? #.
  // An empty host (`postgresql://u@/db?host=::1`, `postgresql://:5433/db`) is allowed by libpq,
  // which then takes the host from the query, a service, PGHOST or its default; the URL parser
  // refuses it before a port or after a user, so it parses the URL with a stand-in host.
  const authority = /^[a-z]+:\/\/[^/?#]*/i.exec(url)?.[0];
  const hostAt = authority === undefined ? 0 : Math.max(authority.lastIndexOf('@') + 1, authority.indexOf('//') + 2);
  const hostPort = authority?.slice(hostAt) ?? '';
  if (hostPort.includes(',')) throw multiHostError(from);
  const emptyHost = authority !== undefined && (hostPort === '' || hostPort.startsWith(':'));
  let parsed: URL | undefined;
  try {
    parsed = new URL(emptyHost ? `${url.slice(0, hostAt)}localhost${url.slice(hostAt)}` : url);
  } catch {
    parsed = undefined;
  }
  // Not a URL, or one whose path, query or fragment holds an `@`: a password with an unencoded
  // `/`, `?` or `#` (`u:12/x@host` parses as host u, port 12, database "x@host"). Either way the text may hold a password in a
  // shape no scrubber can be sure of: it is not repeated.
  if (!parsed || [parsed.pathname, parsed.search, parsed.hash].some((part) => part.includes('@'))) {
    throw new TenantctlError('CONFIG_URL', `${from} is not a valid URL (not repeated here: it may hold a password).`, {
      hint: 'Write it as postgresql://user@host[:port]/database[?sslmode=require]. A password goes after the user name and a colon, with @ / : ? # % and spaces %-encoded (@ is %40, / is %2F).',
      exitCode: 2,
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TenantctlError('CONFIG_URL', `${from} must start with postgresql:// (got ${parsed.protocol}//).`, {
      hint: 'Write it as postgresql://user@host[:port]/database (a password goes after the user name and a colon, %-encoded).',
      exitCode: 2,
    });
  }
  const params = queryParams(parsed.search, from);
  if (params.has('hostaddr')) throw hostaddrError(`The hostaddr parameter of ${from}`);
  // As psql ("invalid URI query parameter"): a typo (sslmod=require) or a setting tenantctl does
  // not apply (target_session_attrs) would otherwise be dropped without a word.
  const unknown = [...params.keys()].filter((key) => !URL_PARAMETERS.includes(key) && !TUNING_PARAMETERS.includes(key) && !UNAPPLIED.some((u) => u.parameter === key) && !CLIENT_LIBRARY_PARAMETERS.includes(key));
  if (unknown.length) {
    // An unencoded & in a password (`password=ab&cd=x`) makes what follows look like a parameter:
    // with a password in the query, the names are not repeated.
    const named = params.has('password') ? 'a query parameter (not repeated here: with a password in the query, it may be part of it)' : `the query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${key}"`).join(', ')}`;
    throw new TenantctlError('CONFIG_URL', `${from} has ${named}, which tenantctl does not use: invalid URI query parameter, or a libpq setting tenantctl does not support.`, {
      hint: `tenantctl uses ${URL_PARAMETERS.join(', ')}; fix the name or remove the parameter (an & inside a password is written %26).`,
      exitCode: 2,
    });
  }
  const unapplied = UNAPPLIED.filter((u) => params.has(u.parameter) && !u.harmless.includes(params.get(u.parameter)!)).map((u) => u.parameter);
  if (unapplied.length) {
    // channel_binding=require guards against a man in the middle; what does that for tenantctl is a verified certificate.
    const binding = unapplied.includes('channel_binding') ? ' tenantctl cannot bind the password exchange to the TLS channel; what protects it from a server in the middle is a verified certificate: use sslmode=verify-full (with sslrootcert, the server\'s CA) instead of channel_binding=require.' : '';
    throw new TenantctlError('CONFIG_UNSUPPORTED', `${from} sets ${unapplied.map((key) => `"${key}"`).join(', ')}, which tenantctl does not apply: it would connect without ${unapplied.length > 1 ? 'these settings' : 'this setting'}, and pg_dump or psql would connect otherwise.`, {
      hint: `Remove ${unapplied.join(' and ')} from the URL for tenantctl.${binding}`,
      exitCode: 2,
    });
  }
  const service = withService(params.get('service') ?? undefined, env, origin);
  const set = service?.settings ?? {};
  // An IPv6 address is written in brackets in a URL ([::1]), and the URL parser keeps them.
  const urlHost = emptyHost ? '' : decoded(parsed.hostname.replace(/^\[(.*)\]$/, '$1'), 'host', from);
  const port = tcpPort(params.get('port') ?? (parsed.port || set.port || env.PGPORT || '5432'), served(origin, service).from);
  const host = oneHost(params.get('host') ?? (urlHost || set.host || env.PGHOST || defaultHost(port)), params.has('host') ? `the host parameter of ${from}` : urlHost ? from : set.host ? served(origin, service).from : 'PGHOST');
  // As in libpq, a query parameter wins over the same setting in the URL's user, password or
  // database part (psql "postgresql://alice@h/shop?dbname=pooled" connects to pooled).
  const user = params.get('user') || decoded(parsed.username, 'user name', from) || set.user || env.PGUSER || osUser();
  const database = params.get('dbname') || decoded(parsed.pathname.replace(/^\//, ''), 'database name', from) || set.dbname || env.PGDATABASE || user;
  const sslmode = params.get('sslmode') ?? set.sslmode ?? env.PGSSLMODE ?? undefined;
  const tls: TlsFiles = {
    sslrootcert: params.get('sslrootcert') ?? set.sslrootcert ?? env.PGSSLROOTCERT,
    sslcert: params.get('sslcert') ?? set.sslcert ?? env.PGSSLCERT,
    sslkey: params.get('sslkey') ?? set.sslkey ?? env.PGSSLKEY,
  };
  // An empty password is no password, as in libpq: the password file is still looked up.
  const password = params.get('password') || (parsed.password && decoded(parsed.password, 'password', from)) || set.password || env.PGPASSWORD
    || lookupPgpass(params.get('passfile') ?? set.passfile ?? env.PGPASSFILE, { host, port, database, user });
  const applicationName = params.get('application_name') ?? set.application_name ?? env.PGAPPNAME ?? params.get('fallback_application_name') ?? undefined;
  const connectTimeout = timeoutSeconds(params.get('connect_timeout') ?? set.connect_timeout ?? env.PGCONNECT_TIMEOUT, params.has('connect_timeout') ? `the connect_timeout parameter of ${from}` : 'PGCONNECT_TIMEOUT');
  return finish({ host, port, database, user, password, sslmode, ...tls, ...served(origin, service), applicationName, options: params.get('options') ?? set.options ?? env.PGOPTIONS, connectTimeout });
}

/**
 * libpq's connect_timeout (URL, service, PGCONNECT_TIMEOUT): whole seconds; 0 or less waits
 * for ever; 1 is taken as 2 (libpq's floor). Unset: undefined (tenantctl's own default).
 */
function timeoutSeconds(value: string | undefined, where: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value.trim())) {
    throw new TenantctlError('CONFIG_URL', `${where} must be a whole number of seconds (got ${JSON.stringify(value)}).`, { hint: 'Give the seconds to wait for a connection, e.g. connect_timeout=10 (0: wait for ever).', exitCode: 2 });
  }
  const n = Number(value.trim());
  return n <= 0 ? 0 : Math.max(n, 2);
}

function fromPgEnv(env: NodeJS.ProcessEnv, origin: Origin): ConnectionConfig {
  const service = withService(undefined, env, origin);
  // libpq's order: a service's settings win over the PG* variables, which fill the rest.
  const set = service?.settings ?? {};
  // An empty PGPORT is the default port, as in libpq.
  const port = tcpPort(set.port || env.PGPORT || '5432', served(origin, service).from);
  const host = oneHost(set.host ?? env.PGHOST ?? defaultHost(port), set.host ? served(origin, service).from : origin.source === '.env' ? `PGHOST in ${origin.from}` : 'PGHOST');
  const user = set.user ?? env.PGUSER ?? osUser();
  const database = set.dbname ?? env.PGDATABASE ?? user;
  const password = set.password || env.PGPASSWORD || lookupPgpass(set.passfile ?? env.PGPASSFILE, { host, port, database, user });
  const tls: TlsFiles = { sslrootcert: set.sslrootcert ?? env.PGSSLROOTCERT, sslcert: set.sslcert ?? env.PGSSLCERT, sslkey: set.sslkey ?? env.PGSSLKEY };
  const connectTimeout = timeoutSeconds(set.connect_timeout ?? env.PGCONNECT_TIMEOUT, set.connect_timeout ? served(origin, service).from : 'PGCONNECT_TIMEOUT');
  return finish({ host, port, database, user, password, sslmode: set.sslmode ?? env.PGSSLMODE, ...tls, ...served(origin, service), applicationName: set.application_name ?? env.PGAPPNAME, options: set.options ?? env.PGOPTIONS, connectTimeout });
}

/**
 * libpq tries each host of a list (`PGHOST=db1,db2`, `postgresql://db1,db2/app`) in turn;
 * tenantctl connects to one, and its pg_dump/psql children must reach the same one: a list
 * is refused rather than half-followed (postgres.js alone hung on one, never connecting).
 */
function multiHostError(what: string): TenantctlError {
  return new TenantctlError('CONFIG_MULTIHOST', `${what} names several hosts: multiple hosts are not supported by tenantctl.`, {
    hint: 'Name one host (the primary), e.g. PGHOST=db1 or postgresql://user@db1:5432/app.',
    exitCode: 2,
  });
}

/**
 * Where libpq goes when no host is given: the server's Unix socket in its compiled-in folder
 * (DEFAULT_SOCKET_DIRS), as psql and pg_dump do. Going to localhost over TCP instead reached
 * other pg_hba rules (peer or trust on the socket, a password over TCP), or even another
 * server. TCP localhost only when neither folder holds the socket of that port.
 */
function defaultHost(port: number): string {
  for (const dir of DEFAULT_SOCKET_DIRS) {
    try {
      if (statSync(`${dir}/.s.PGSQL.${port}`).isSocket()) return dir;
    } catch {
      // not there: the next folder
    }
  }
  return 'localhost';
}

function oneHost(host: string, what: string): string {
  if (host.includes(',')) throw multiHostError(what);
  return host;
}

/**
 * The user name when none is set: as libpq, the effective OS user, not $USER (unset under cron,
 * systemd or docker, and anything at all when set by hand). A uid with no passwd entry (a
 * container run with --user 1234) has no name: then $USER or $LOGNAME, else a usage error,
 * where libpq would fail too.
 */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    const name = process.env.USER || process.env.LOGNAME;
    if (name) return name;
    throw new TenantctlError('CONFIG_USER', 'No database user is set, and the OS user has no name (no passwd entry for this uid).', {
      hint: 'Set PGUSER, or put the user in the URL (postgresql://user@host/db).',
      exitCode: 2,
    });
  }
}

/**
 * PGHOSTADDR (libpq: the address to connect to, whatever PGHOST says) is not used by
 * tenantctl: refused rather than connecting, and sending a password, elsewhere than libpq would.
 */
function hostaddrError(what: string): TenantctlError {
  return new TenantctlError('CONFIG_HOSTADDR', `${what} is set, but tenantctl does not use hostaddr: it would connect to the host instead.`, {
    hint: 'Put the address in PGHOST (or the URL\'s host) instead, e.g. PGHOST=10.0.0.5, and unset PGHOSTADDR.',
    exitCode: 2,
  });
}

/** The service named by the URL's `service=` or PGSERVICE, if any (and PGHOSTADDR refused). */
function withService(fromUrlParam: string | undefined, env: NodeJS.ProcessEnv, origin: Origin): Service | undefined {
  if (env.PGHOSTADDR) throw hostaddrError(origin.source === '.env' ? `PGHOSTADDR in ${origin.from}` : 'PGHOSTADDR');
  const unapplied = UNAPPLIED.flatMap((u) => (u.variable && env[u.variable] && !u.harmless.includes(env[u.variable]!) ? [u.variable] : []));
  if (unapplied.length) {
    throw new TenantctlError('CONFIG_UNSUPPORTED', `${unapplied.join(', ')} ${unapplied.length > 1 ? 'are' : 'is'} set${origin.source === '.env' ? ` in ${origin.from}` : ''}, but tenantctl does not apply ${unapplied.length > 1 ? 'these settings' : 'this setting'}, and would connect without ${unapplied.length > 1 ? 'them' : 'it'}.`, {
      hint: `Unset ${unapplied.join(' and ')} for tenantctl${unapplied.includes('PGREQUIRESSL') ? ' (PGSSLMODE=require is what PGREQUIRESSL=1 meant)' : ''}.`,
      exitCode: 2,
    });
  }
  const name = fromUrlParam ?? (env.PGSERVICE || undefined);
  if (!name) return undefined;
  return lookupService(name, env, fromUrlParam ? `the service parameter of ${origin.from}` : origin.source === '.env' ? `PGSERVICE in ${origin.from}` : 'PGSERVICE');
}

/** The origin, naming the service whose settings were used. */
function served(origin: Origin, service: Service | undefined): Origin {
  return service ? { source: origin.source, from: `${origin.from}, service "${service.name}" in ${service.file}` } : origin;
}

/**
 * The port as typed (PGPORT, the URL, a service), checked: decimal digits from 1 to 65535.
 * The message repeats what was typed (Number("abc") would have said "NaN").
 */
function tcpPort(text: string, from: string): number {
  const port = /^\s*[0-9]{1,5}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new TenantctlError('CONFIG_PORT', `Port "${text}" from ${from} is not a TCP port.`, { hint: 'Use a number from 1 to 65535.', exitCode: 2 });
  }
  return port;
}

function finish(c: Omit<ConnectionConfig, 'ssl' | 'display' | 'socketPath'>): ConnectionConfig {
  registerSecret(c.password);
  const socketPath = c.host.startsWith('/') ? `${c.host}/.s.PGSQL.${c.port}` : undefined;
  // libpq ignores sslmode (and the certificates) on a Unix socket: the server offers no TLS there.
  if (socketPath) checkSslMode(c.sslmode, c.from);
  const ssl = socketPath ? false : tlsFor(c.sslmode, { sslrootcert: c.sslrootcert, sslcert: c.sslcert, sslkey: c.sslkey }, c.host, c.from);
  const display = `postgresql://${encodeURIComponent(c.user)}@${socketPath ? encodeURIComponent(c.host) : bracketed(c.host)}:${c.port}/${encodeURIComponent(c.database)}${c.sslmode ? `?sslmode=${c.sslmode}` : ''}`;
  return { ...c, ssl, socketPath, display };
}

/** A host as written before `:port`: an IPv6 address in brackets, [::1]:5432. */
function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Variables that say where the server is: with one of them set, the PG* variables are the source. */
const PG_VARS = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE'];

/**
 * Every libpq variable that bears on a connection. One of them in the operator's
 * environment means the environment is configured, and a `.env` is not used at all: its
 * host must never receive the environment's password, nor its password go to theirs.
 */
export const CONNECTION_VARS = [
  'DATABASE_URL', ...PG_VARS, 'PGPASSWORD', 'PGPASSFILE', 'PGSERVICEFILE', 'PGSSLMODE', 'PGSSLCERT', 'PGSSLKEY', 'PGSSLROOTCERT',
  'PGREQUIRESSL', 'PGGSSENCMODE', 'PGCHANNELBINDING', 'PGREQUIREAUTH', 'PGTARGETSESSIONATTRS', 'PGCONNECT_TIMEOUT', 'PGAPPNAME',
  'PGOPTIONS',
];

/** A `.env`'s connection settings, used whole or not at all. */
function fromDotenv(dotenv: { path: string; vars: Record<string, string> }): ConnectionConfig | undefined {
  const origin: Origin = { source: '.env', from: `.env (${dotenv.path})` };
  // Only the user name falls back to the process (the OS user, as in libpq); nothing else mixes in.
  const vars: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(dotenv.vars).filter(([name, value]) => isConnectionVar(name) && value !== ''));
  if (vars.DATABASE_URL) return fromUrl(vars.DATABASE_URL, origin, vars);
  if (PG_VARS.some((name) => vars[name])) return fromPgEnv(vars, origin);
  return undefined;
}

/**
 * The environment without its empty variables: libpq treats an empty PGHOST, PGUSER,
 * PGDATABASE, PGPASSWORD … as unset (an empty PGDATABASE is the default database, not "").
 */
function setOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

/**
 * Resolve the connection, one source as a whole, in this order: `--database-url`, else
 * `DATABASE_URL`, else libpq `PG*` variables of the process environment, else the
 * working folder's `.env` (only when the environment has no connection variable at all),
 * else the embedded server when it is running; otherwise a clear error that says how to
 * start or point at one.
 */
export async function resolveConnection(options: { databaseUrl?: string; env: NodeJS.ProcessEnv; cwd: string }): Promise<ConnectionConfig> {
  const env = setOnly(options.env);
  if (options.databaseUrl) return fromUrl(options.databaseUrl, { source: '--database-url', from: '--database-url' }, env);
  if (env.DATABASE_URL) return fromUrl(env.DATABASE_URL, { source: 'DATABASE_URL', from: 'DATABASE_URL' }, env);
  if (PG_VARS.some((name) => env[name])) return fromPgEnv(env, { source: 'PG* variables', from: 'PG* variables' });
  const dotenv = readDotenv(options.cwd);
  const configured = CONNECTION_VARS.filter((name) => env[name]);
  let ignored: string | undefined;
  if (dotenv && configured.length === 0) {
    const config = fromDotenv(dotenv);
    if (config) return config;
  } else if (dotenv && Object.keys(dotenv.vars).some(isConnectionVar)) {
    ignored = `.env (${dotenv.path}) not used: the environment sets ${configured.join(', ')}`;
  }
  // The embedded server's code loads only here, for a run that names no database.
  const { embeddedAlive, embeddedHome, embeddedUrl, readEmbeddedState } = await import('./embedded.js');
  const home = embeddedHome(env, options.cwd);
  const state = await readEmbeddedState(home);
  if (state && (await embeddedAlive(state))) return { ...fromUrl(embeddedUrl(state), { source: 'embedded', from: 'embedded' }, {}), ...(ignored ? { ignored } : {}) };
  throw new TenantctlError('NO_DATABASE', state ? 'No database is configured and the embedded PostgreSQL is stopped.' : 'No database is configured.', {
    hint: `Start the embedded one with \`tenantctl db start\`, or point at yours with --database-url postgresql://user@host/db (or DATABASE_URL, or PGHOST/PGDATABASE/PGUSER).${ignored ? ` The ${ignored} (unset ${configured.length > 1 ? 'them' : 'it'} to use the .env).` : ''}`,
    exitCode: 2,
  });
}

/**
 * A second database a command is pointed at by a flag of its own (`backup verify --target-url`):
 * its errors name that flag, never --database-url or the environment the first one came from.
 */
export function connectionFromFlag(url: string, flag: '--target-url', env: NodeJS.ProcessEnv): ConnectionConfig {
  return fromUrl(url, { source: flag, from: flag }, setOnly(env));
}

/** `host:port/database as user (from <source>)`: which database a command uses, never the password. */
export function describeConnection(config: ConnectionConfig): string {
  return `${config.socketPath ? config.host : bracketed(config.host)}:${config.port}/${config.database} as ${config.user} (from ${config.from})${config.ignored ? `; ${config.ignored}` : ''}`;
}

/** Environment for libpq tools (pg_dump, psql): the password travels in PGPASSWORD, never argv. */
export function libpqEnv(config: ConnectionConfig, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PGHOST: config.host, PGPORT: String(config.port), PGDATABASE: config.database, PGUSER: config.user };
  // Resolved here already: a service or hostaddr left in the environment would win over these in libpq.
  // Nor may the tools apply a setting tenantctl does not (config.ts refuses them when set).
  for (const name of ['DATABASE_URL', 'PGSERVICE', 'PGSERVICEFILE', 'PGHOSTADDR', ...UNAPPLIED_VARIABLES]) delete env[name];
  if (config.password !== undefined) env.PGPASSWORD = config.password;
  // The TLS settings, options and application name tenantctl uses, and none a different source
  // left in the environment: libpq reads the same defaults (prefer, ~/.postgresql/root.crt …)
  // when one is not set (and each tool names itself, as tenantctl's own sessions say tenantctl).
  const settings: [string, string | undefined][] = [['PGSSLMODE', config.sslmode], ['PGSSLROOTCERT', config.sslrootcert], ['PGSSLCERT', config.sslcert], ['PGSSLKEY', config.sslkey], ['PGOPTIONS', config.options], ['PGAPPNAME', config.applicationName], ['PGCONNECT_TIMEOUT', config.connectTimeout === undefined ? undefined : String(config.connectTimeout)]];
  for (const [name, value] of settings) {
    if (value) env[name] = value;
    else delete env[name];
  }
  return env;
}
