import { TenantctlError } from '../errors.js';
import { redactUrl, registerSecret } from '../output/redact.js';
import { embeddedAlive, embeddedHome, embeddedUrl, readEmbeddedState } from './embedded.js';
import { lookupPgpass } from './pgpass.js';

/** Where the connection came from, in the order tenantctl looks. */
export type ConnectionSource = '--database-url' | 'DATABASE_URL' | 'PG* variables' | 'embedded';

/** A resolved connection. `display` is safe to print; the password is never in it. */
export interface ConnectionConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** postgres.js `ssl`: false, 'prefer', 'require', 'verify-full' … (from sslmode). */
  ssl: boolean | string;
  sslmode?: string;
  /** Unix socket path when host is a directory. */
  socketPath?: string;
  applicationName?: string;
  source: ConnectionSource;
  display: string;
}

const SSL_MODES = new Set(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']);

function sslFromMode(mode: string | undefined, where: string): boolean | string {
  if (mode === undefined) return false;
  if (!SSL_MODES.has(mode)) {
    throw new TenantctlError('CONFIG_SSLMODE', `Unknown sslmode "${mode}" in ${where}.`, {
      hint: `Use one of: ${[...SSL_MODES].join(', ')}.`,
      exitCode: 2,
    });
  }
  return mode === 'disable' ? false : mode === 'allow' ? 'prefer' : mode;
}

function fromUrl(url: string, source: ConnectionSource, env: NodeJS.ProcessEnv): ConnectionConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TenantctlError('CONFIG_URL', `${source} is not a valid URL: ${redactUrl(url)}`, {
      hint: 'Write it as postgresql://user[:password]@host[:port]/database[?sslmode=require].',
      exitCode: 2,
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new TenantctlError('CONFIG_URL', `${source} must start with postgresql:// (got ${parsed.protocol}//).`, {
      hint: 'Write it as postgresql://user[:password]@host[:port]/database.',
      exitCode: 2,
    });
  }
  const params = parsed.searchParams;
  const host = params.get('host') ?? (decodeURIComponent(parsed.hostname) || env.PGHOST || 'localhost');
  const port = Number(params.get('port') ?? (parsed.port || env.PGPORT || 5432));
  const user = decodeURIComponent(parsed.username) || params.get('user') || env.PGUSER || env.USER || 'postgres';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || params.get('dbname') || env.PGDATABASE || user;
  const sslmode = params.get('sslmode') ?? env.PGSSLMODE ?? undefined;
  let password = parsed.password ? decodeURIComponent(parsed.password) : params.get('password') ?? env.PGPASSWORD;
  password ??= lookupPgpass(params.get('passfile') ?? env.PGPASSFILE, { host, port, database, user });
  return finish({ host, port, database, user, password, sslmode, source, applicationName: params.get('application_name') ?? undefined });
}

function fromPgEnv(env: NodeJS.ProcessEnv): ConnectionConfig {
  const host = env.PGHOST ?? 'localhost';
  const port = Number(env.PGPORT ?? 5432);
  const user = env.PGUSER ?? env.USER ?? 'postgres';
  const database = env.PGDATABASE ?? user;
  const password = env.PGPASSWORD ?? lookupPgpass(env.PGPASSFILE, { host, port, database, user });
  return finish({ host, port, database, user, password, sslmode: env.PGSSLMODE, source: 'PG* variables', applicationName: env.PGAPPNAME });
}

function finish(c: Omit<ConnectionConfig, 'ssl' | 'display' | 'socketPath'>): ConnectionConfig {
  if (!Number.isInteger(c.port) || c.port <= 0 || c.port > 65535) {
    throw new TenantctlError('CONFIG_PORT', `Port "${c.port}" from ${c.source} is not a TCP port.`, { hint: 'Use a number from 1 to 65535.', exitCode: 2 });
  }
  registerSecret(c.password);
  const ssl = sslFromMode(c.sslmode, c.source);
  const socketPath = c.host.startsWith('/') ? `${c.host}/.s.PGSQL.${c.port}` : undefined;
  const display = `postgresql://${encodeURIComponent(c.user)}@${socketPath ? encodeURIComponent(c.host) : c.host}:${c.port}/${encodeURIComponent(c.database)}${c.sslmode ? `?sslmode=${c.sslmode}` : ''}`;
  return { ...c, ssl, socketPath, display };
}

const PG_VARS = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE'];

/**
 * Resolve the connection: `--database-url`, else `DATABASE_URL`, else libpq `PG*`
 * variables, else the embedded server when it is running; otherwise a clear error that
 * says how to start or point at one.
 */
export async function resolveConnection(options: { databaseUrl?: string; env: NodeJS.ProcessEnv; cwd: string }): Promise<ConnectionConfig> {
  const { env } = options;
  if (options.databaseUrl) return fromUrl(options.databaseUrl, '--database-url', env);
  if (env.DATABASE_URL) return fromUrl(env.DATABASE_URL, 'DATABASE_URL', env);
  if (PG_VARS.some((name) => env[name])) return fromPgEnv(env);
  const home = embeddedHome(env, options.cwd);
  const state = await readEmbeddedState(home);
  if (state && (await embeddedAlive(state))) return fromUrl(embeddedUrl(state), 'embedded', env);
  throw new TenantctlError('NO_DATABASE', state ? 'No database is configured and the embedded PostgreSQL is stopped.' : 'No database is configured.', {
    hint: 'Start the embedded one with `tenantctl db start`, or point at yours with --database-url postgresql://user@host/db (or DATABASE_URL, or PGHOST/PGDATABASE/PGUSER).',
    exitCode: 2,
  });
}

/** Environment for libpq tools (pg_dump, psql): the password travels in PGPASSWORD, never argv. */
export function libpqEnv(config: ConnectionConfig, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PGHOST: config.host, PGPORT: String(config.port), PGDATABASE: config.database, PGUSER: config.user };
  delete env.DATABASE_URL;
  if (config.password !== undefined) env.PGPASSWORD = config.password;
  if (config.sslmode) env.PGSSLMODE = config.sslmode;
  return env;
}
