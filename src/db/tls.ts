import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { TenantctlError } from '../errors.js';

/** libpq's certificate settings (URL parameters, a service, PGSSLROOTCERT/PGSSLCERT/PGSSLKEY), as given. */
export interface TlsFiles {
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
}

/** postgres.js `ssl`: none, TLS when offered (libpq's prefer), or TLS with these node:tls options. */
export type TlsSetting = false | 'prefer' | ConnectionOptions;

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

function tlsError(message: string, hint: string): TenantctlError {
  return new TenantctlError('CONFIG_SSL', message, { hint, exitCode: 2 });
}

/** An sslmode libpq knows, or none. */
export function checkSslMode(mode: string | undefined, from: string): void {
  if (mode !== undefined && !SSL_MODES.includes(mode)) {
    throw new TenantctlError('CONFIG_SSLMODE', `Unknown sslmode "${mode}" in ${from}.`, { hint: `Use one of: ${SSL_MODES.join(', ')}.`, exitCode: 2 });
  }
}

/** libpq's files under ~/.postgresql, used when the setting is not given. */
const defaultFile = (name: string): string => join(homedir(), '.postgresql', name);

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function read(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw tlsError(`Cannot read the ${what} "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, `Check the path and its permissions (${what === 'root certificate file' ? 'sslrootcert, PGSSLROOTCERT' : what === 'client certificate file' ? 'sslcert, PGSSLCERT' : 'sslkey, PGSSLKEY'}).`);
  }
}

/** The client certificate and key, when there is a certificate (libpq sends none otherwise). */
function clientCertificate(files: TlsFiles): Pick<ConnectionOptions, 'cert' | 'key'> {
  const certFile = files.sslcert ?? defaultFile('postgresql.crt');
  if (!exists(certFile)) return {};
  const keyFile = files.sslkey ?? defaultFile('postgresql.key');
  if (!exists(keyFile)) throw tlsError(`The client certificate "${certFile}" is there, but not its private key file "${keyFile}".`, 'Point sslkey (PGSSLKEY) at the key of that certificate.');
  // As libpq: a key others may read is no secret, and is refused (0640 is allowed for a key root owns).
  const stat = statSync(keyFile);
  if (process.platform !== 'win32' && (stat.mode & (stat.uid === 0 && process.getuid?.() !== 0 ? 0o037 : 0o077)) !== 0) {
    throw tlsError(`The private key file "${keyFile}" has group or world access.`, `Make it readable by its owner only: chmod 600 ${keyFile}.`);
  }
  return { cert: read(certFile, 'client certificate file'), key: read(keyFile, 'private key file') };
}

/**
 * The TLS settings for an sslmode, with libpq's meaning (they are what psql, pg_dump and pg_restore
 * do with the same settings):
 * - disable: no TLS; allow, prefer (the default): TLS when the server offers it, unverified;
 * - require: TLS, unverified, unless a root certificate file exists (sslrootcert, else
 *   ~/.postgresql/root.crt): then, as libpq, the server's certificate must be signed by it;
 * - verify-ca: the certificate must be signed by the root certificate(s), whatever name it bears;
 * - verify-full: that, and it must name the host connected to. `sslrootcert=system` trusts
 *   the system's CAs (with verify-full only, as libpq).
 * A client certificate (sslcert, else ~/.postgresql/postgresql.crt) goes with sslkey.
 * @param host the host connected to, that verify-full checks the certificate against
 */
export function tlsFor(mode: string | undefined, files: TlsFiles, host: string, from: string): TlsSetting {
  checkSslMode(mode, from);
  if (mode === 'disable') return false;
  const given = (['sslrootcert', 'sslcert', 'sslkey'] as const).filter((name) => files[name] !== undefined);
  if (mode === undefined || mode === 'allow' || mode === 'prefer') {
    // postgres.js falls back to plaintext only with its own unverified `prefer`: certificates
    // named for such a connection would go unused, where libpq uses them.
    if (given.length) throw tlsError(`${given.join(', ')} is set in ${from}, but sslmode is ${mode ?? 'prefer (the default)'}: tenantctl uses certificate files only with sslmode require, verify-ca or verify-full.`, 'Set sslmode=verify-full (PGSSLMODE=verify-full) to have the server\'s certificate checked, or unset the certificate settings.');
    return 'prefer';
  }
  if (files.sslrootcert === 'system') {
    if (mode !== 'verify-full') throw tlsError(`sslrootcert=system in ${from} needs sslmode verify-full (it is ${mode}).`, 'Set sslmode=verify-full, as libpq requires.');
    return { host, rejectUnauthorized: true, ...clientCertificate(files) };
  }
  const rootFile = files.sslrootcert ?? defaultFile('root.crt');
  const hasRoot = exists(rootFile);
  if (!hasRoot && mode !== 'require') {
    throw tlsError(`The root certificate file "${rootFile}" does not exist, and sslmode ${mode} (from ${from}) needs it to check the server's certificate.`, 'Point sslrootcert (PGSSLROOTCERT) at the certificate of the CA that signed the server\'s certificate, or put it in ~/.postgresql/root.crt.');
  }
  const client = clientCertificate(files);
  if (!hasRoot) return { host, rejectUnauthorized: false, ...client };
  const ca = read(rootFile, 'root certificate file');
  // verify-ca (and require with a root certificate) checks who signed the certificate, not the name in it.
  return { host, ca, rejectUnauthorized: true, ...(mode === 'verify-full' ? {} : { checkServerIdentity: () => undefined }), ...client };
}
