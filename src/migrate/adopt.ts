import type { Pool, Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { EXIT, TenantctlError, usageError } from '../errors.js';
import { schemaLockName } from '../tenancy/locks.js';
import { compareVersions, type Migration } from './files.js';
import { ensureBookkeeping } from './state.js';

/** What `migrate adopt --from dbmate` did. */
export interface AdoptReport {
  from: 'dbmate';
  ledger: string;
  /** Versions newly recorded as applied to the shared schema. */
  adopted: string[];
  /** Versions tenantctl had recorded already (adopting twice changes nothing). */
  alreadyRecorded: string[];
  /** Files the dbmate ledger does not list: `migrate up` will run them. */
  pending: string[];
}

/** dbmate's `--migrations-table`: `schema_migrations`, or `schema.table`. */
function parseLedgerName(name: string): { schema: string; table: string } {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => /^[a-z_][a-z0-9_]{0,62}$/.test(p))) {
    throw usageError(`--table ${name} is not a table name.`, 'Give it as dbmate does: schema_migrations or myschema.schema_migrations.');
  }
  return parts.length === 2 ? { schema: parts[0]!, table: parts[1]! } : { schema: 'public', table: parts[0]! };
}

async function readLedger(sql: Sql, schema: string, table: string): Promise<string[]> {
  const [found] = (await sql`select to_regclass(${`${schema}.${table}`}) is not null as exists`) as unknown as [{ exists: boolean }];
  if (!found.exists) {
    throw new TenantctlError('ADOPT_NO_LEDGER', `There is no dbmate ledger ${schema}.${table} in this database.`, {
      hint: 'Check --database-url, or name the table dbmate used with --table (dbmate --migrations-table).',
      details: { ledger: `${schema}.${table}` },
    });
  }
  const rows = (await sql`select version::text as version from ${sql(schema)}.${sql(table)}`) as unknown as { version: string }[];
  return rows.map((r) => r.version).sort(compareVersions);
}

/**
 * Before tenantctl's first run on the shared schema: if dbmate's ledger is there and lists
 * versions we are about to apply, `up` would fail on the first table dbmate created. Refuse
 * with the way forward instead (nothing has run yet).
 */
export async function refuseUnadoptedDbmateLedger(sql: Sql, sharedApplied: string[], pending: Migration[]): Promise<void> {
  if (sharedApplied.length > 0 || pending.length === 0) return;
  const [found] = (await sql`select to_regclass('public.schema_migrations') is not null as exists`) as unknown as [{ exists: boolean }];
  if (!found.exists) return;
  const listed = new Set(await readLedger(sql, 'public', 'schema_migrations'));
  const overlap = pending.filter((m) => listed.has(m.version)).map((m) => m.version);
  if (overlap.length === 0) return;
  throw new TenantctlError('DBMATE_LEDGER_NOT_ADOPTED', `dbmate already applied ${overlap.length} of the pending shared migrations (${overlap.slice(0, 3).join(', ')}${overlap.length > 3 ? ', …' : ''}; ledger public.schema_migrations), but tenantctl has no record of them. Nothing was run.`, {
    hint: 'Import the ledger once with `tenantctl migrate adopt --from dbmate` (same --migrations-dir), then run migrate up again.',
    details: { versions: overlap },
    exitCode: EXIT.usage,
  });
}

/**
 * Import dbmate's ledger (`schema_migrations(version varchar primary key)`) into tenantctl's
 * bookkeeping for the profile's shared target (`target`: commerce's `public`, a pooled profile's one schema), so that `migrate status` and `up` see what dbmate did.
 * Every ledger version must match a file of the shared folder, or nothing is recorded: a
 * ledger that names files we do not have means the wrong folder or the wrong database.
 */
export async function adoptDbmateLedger(sql: Pool, shared: Migration[], ledgerName: string, target: string): Promise<AdoptReport> {
  const { schema, table } = parseLedgerName(ledgerName);
  const versions = await readLedger(sql, schema, table);
  const byVersion = new Map(shared.map((m) => [m.version, m]));
  const missing = versions.filter((v) => !byVersion.has(v));
  if (missing.length) {
    throw new TenantctlError('ADOPT_UNKNOWN_VERSIONS', `The dbmate ledger ${schema}.${table} lists ${missing.length} version(s) with no file in the shared migrations folder: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}. Nothing was recorded.`, {
      hint: 'Point --migrations-dir (or --shared-dir) at the folder dbmate ran from, e.g. --migrations-dir db/migrations.',
      details: { ledger: `${schema}.${table}`, missing },
    });
  }
  await ensureBookkeeping(sql);
  const files = versions.map((v) => byVersion.get(v)!);
  const recorded = await sql.begin(async (tx) => {
    const rows = await query<{ version: string }>(tx, 'migrate/adopt-record', [schemaLockName(target), target, 'shared', files.map((f) => f.version), files.map((f) => f.name), files.map((f) => f.checksum)]);
    if (files.length) await query(tx, 'migrate/record-state', [target, 'shared', 'ok', files.at(-1)!.version, null]);
    return rows.map((r) => r.version);
  });
  const adopted = new Set(recorded);
  const inLedger = new Set(versions);
  return {
    from: 'dbmate',
    ledger: `${schema}.${table}`,
    adopted: versions.filter((v) => adopted.has(v)),
    alreadyRecorded: versions.filter((v) => !adopted.has(v)),
    pending: shared.filter((m) => !inLedger.has(m.version)).map((m) => m.version),
  };
}
