import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TenantctlError } from '../errors.js';

/** The connection keywords of a service that tenantctl applies (libpq's names). */
const KEYWORDS = new Set(['host', 'port', 'dbname', 'user', 'password', 'passfile', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'application_name', 'options', 'connect_timeout']);

/** A libpq connection service: its settings, and where they were read. */
export interface Service {
  name: string;
  file: string;
  settings: Partial<Record<string, string>>;
}

function serviceError(message: string, hint: string): TenantctlError {
  return new TenantctlError('CONFIG_SERVICE', message, { hint, exitCode: 2 });
}

/** The [name] section of an INI service file, or undefined when the file or section is absent. */
function readSection(file: string, name: string): Service | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // as libpq: a service file that is not there is skipped
  }
  let inSection = false;
  let found: Service | undefined;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      // libpq stops at the end of the first section of that name.
      if (found) break;
      inSection = line === `[${name}]`;
      if (inSection) found = { name, file, settings: {} };
      continue;
    }
    if (!inSection) continue;
    const eq = line.indexOf('=');
    const where = `${file}:${index + 1}`;
    if (eq < 1) throw serviceError(`Syntax error in the service file ${where}: expected keyword=value.`, `Fix line ${index + 1} of ${file}.`);
    const keyword = line.slice(0, eq).trim();
    if (keyword === 'hostaddr') throw serviceError(`Service "${name}" sets hostaddr (${where}), which tenantctl does not use.`, 'Put the address in host= instead (host=10.0.0.5), or the name the server answers to.');
    if (!KEYWORDS.has(keyword)) throw serviceError(`Service "${name}" sets ${keyword} (${where}), which tenantctl does not use.`, `tenantctl uses ${[...KEYWORDS].join(', ')}; remove the others from the section, or connect with --database-url.`);
    const value = line.slice(eq + 1).trim();
    // An empty setting is one not made, as in libpq: the variables or the default fill it.
    if (value) found!.settings[keyword] = value;
  }
  return found;
}

/**
 * A libpq connection service (PGSERVICE, or the URL's `service=`), looked up as libpq does:
 * in PGSERVICEFILE, else ~/.pg_service.conf, and when not there in
 * PGSYSCONFDIR/pg_service.conf. Its settings fill what the URL does not say, and win over
 * the PG* variables (libpq's order: connection string, then service, then environment).
 * @param from where the service name came from, for messages
 */
export function lookupService(name: string, env: NodeJS.ProcessEnv, from: string): Service {
  const files = [env.PGSERVICEFILE ?? join(homedir(), '.pg_service.conf'), ...(env.PGSYSCONFDIR ? [join(env.PGSYSCONFDIR, 'pg_service.conf')] : [])];
  for (const file of files) {
    const service = readSection(file, name);
    if (service) return service;
  }
  throw serviceError(`The service "${name}" (from ${from}) is not defined in ${files.join(' nor ')}.`, `Add a [${name}] section with host=, port=, dbname=, user= to ${files[0]} (or point PGSERVICEFILE at the file that has it), or unset PGSERVICE.`);
}
