import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionConfig } from '../db/config.js';
import { connect, type Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import type { ChunkEntry } from './manifest.js';
import { dbnameConninfo } from './restored-copy.js';
import { runTool } from './run-tool.js';
import type { PgTool } from './tools.js';

/** Every staging schema of restore-tenant starts with this; leftovers are recognised by it. */
export const STAGING_PREFIX = 'tenantctl_restore_';

/** A staging schema in the live database, guarded by a session that names it. */
export interface StagingSchema {
  name: string;
  /** End the guard session (after the schema was renamed or dropped). */
  release(): Promise<void>;
}

/** Open the guard session first, so a concurrent run never takes our staging schema for a leftover. */
export async function reserveStaging(live: ConnectionConfig): Promise<StagingSchema> {
  const name = `${STAGING_PREFIX}${randomBytes(6).toString('hex')}`;
  const guard = connect({ ...live, applicationName: `tenantctl-restore:${name}` }, { max: 1 });
  await guard`select 1`;
  return { name, release: () => guard.end({ timeout: 5 }) };
}

/** Staging schemas of restore-tenant runs that died (nobody guards them). */
export async function restoreLeftovers(sql: Sql): Promise<string[]> {
  return (await query<{ schema: string }>(sql, 'backup/restore-leftovers')).map((r) => r.schema);
}

/** Drop the leftovers of killed restore-tenant runs: none of them is a registered tenant. */
export async function dropRestoreLeftovers(sql: Sql): Promise<string[]> {
  const leftovers = await restoreLeftovers(sql);
  for (const schema of leftovers) await sql`drop schema if exists ${sql(schema)} cascade`;
  return leftovers;
}

/**
 * The lines of `pg_restore --list` that make up one schema: the schema itself, its comment
 * and privileges (namespace "-"), and every object in it (tables, data, constraints,
 * indexes, sequences, table privileges, comments, default privileges). `pg_restore -n`
 * would leave out the schema's own entries, and with them its owner, grants and comment.
 */
export function schemaEntries(list: string, schema: string): string[] {
  const own = new RegExp(`^\\d+; \\d+ \\d+ (SCHEMA - |COMMENT - SCHEMA |ACL - SCHEMA )${schema.replace(/[^a-z0-9_]/g, '\\$&')} `);
  return list.split('\n').filter((line) => {
    if (!line || line.startsWith(';')) return false;
    if (own.test(line)) return true;
    // After "id; catalog-oid oid" come the upper-case words of the kind, then the namespace.
    const tokens = line.replace(/^\d+; \d+ \d+ /, '').split(' ');
    const namespace = tokens.find((t) => !/^[A-Z]+$/.test(t));
    return namespace === schema;
  });
}

/** Roles named in "role … does not exist" errors: restored without them, with a warning. */
export function missingRoles(stderr: string): { roles: string[]; otherErrors: string[] } {
  const roles = new Set<string>();
  const otherErrors: string[] = [];
  for (const line of stderr.split('\n')) {
    if (!/error:/i.test(line) || /errors ignored on restore/i.test(line)) continue;
    const missing = /role "([^"]+)" does not exist/.exec(line);
    if (missing) roles.add(missing[1]!);
    else if (!/^pg_restore: error: could not execute query: *$/.test(line.trim())) otherErrors.push(line.trim());
  }
  return { roles: [...roles].sort(), otherErrors };
}

/** Lines of SQL that do not name any of `roles` (bare or quoted). */
export function withoutRoles(sqlText: string, roles: readonly string[]): string {
  const patterns = roles.map((r) => new RegExp(`(^|[\\s,("])${r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s,;)"])`));
  return sqlText.split('\n').filter((line) => !patterns.some((p) => p.test(line))).join('\n');
}

/**
 * Restore one tenant schema of a chunk archive into the scratch database with its owners,
 * privileges, default privileges and comments. A role that does not exist on this server
 * cannot own or be granted anything. pg_restore sends each archive entry as one command, so
 * one missing grantee fails every GRANT of that object: the privilege entries are then
 * applied again without the missing roles' lines. The roles are named; any other error fails.
 */
export async function restoreTenantSchema(
  tools: { pgRestore: PgTool; psql: PgTool },
  archive: string,
  chunk: ChunkEntry,
  schema: string,
  scratch: ConnectionConfig,
  options: { temp: string; env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<{ missingRoles: string[] }> {
  const run = { env: options.env, signal: options.signal };
  const { stdout } = await runTool(tools.pgRestore, ['--list', archive], { ...run, what: `pg_restore --list of ${chunk.name}` });
  const entries = schemaEntries(stdout, schema);
  const listFile = join(options.temp, 'tenant.list');
  await writeFile(listFile, entries.join('\n') + '\n', { mode: 0o600 });
  const what = `restore of ${schema} from ${chunk.name} into the scratch copy`;
  const result = await runTool(tools.pgRestore, ['--no-password', '-L', listFile, '-d', dbnameConninfo(scratch.database), archive], { ...run, connection: scratch, what, tolerateExit: true, settings: { synchronous_commit: 'off' } });
  const found = missingRoles(result.stderr);
  if (result.code !== 0 && (found.otherErrors.length || !found.roles.length)) {
    const errors = found.otherErrors.slice(0, 3).join(' | ') || result.stderr.trim().split('\n').slice(-3).join(' | ');
    // The tenant's schema alone is restored: an object of it that reads another schema (a view
    // over another tenant's table) finds nothing there. That is the schema, not the backup.
    const elsewhere = [...errors.matchAll(/relation "([^".]+)\.[^"]+" does not exist/g)].map((m) => m[1]!).filter((s) => s !== schema);
    throw new TenantctlError('BACKUP_TOOL_FAILED', `${what}: pg_restore failed: ${errors}`, {
      hint: elsewhere.length
        ? `An object of ${schema} in the backup (a view, a function) reads ${[...new Set(elsewhere)].join(', ')}, which a restore of this one schema does not bring along: restore the whole backup with pg_restore instead, or drop that object from the tenant before its next backup. Nothing reached the live database.`
        : 'Run tenantctl backup verify on this backup; nothing reached the live database.',
      details: { errors: found.otherErrors.slice(0, 20) },
    });
  }
  if (found.roles.length) {
    const aclList = join(options.temp, 'acl.list');
    await writeFile(aclList, entries.filter((e) => / ACL /.test(e)).join('\n') + '\n', { mode: 0o600 });
    const { stdout: grants } = await runTool(tools.pgRestore, ['-f', '-', '-L', aclList, archive], { ...run, what: `privileges of ${schema}` });
    const grantsFile = join(options.temp, 'grants.sql');
    await writeFile(grantsFile, withoutRoles(grants, found.roles), { mode: 0o600 });
    await runTool(tools.psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', grantsFile], { ...run, connection: scratch, what: `privileges of ${schema} without the missing role(s)` });
  }
  return { missingRoles: found.roles };
}
