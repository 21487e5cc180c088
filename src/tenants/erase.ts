import type { Pool, Sql, Tx } from '../db/connect.js';
import { query, registryQuery } from '../db/queries.js';
import { isPgError, TenantctlError } from '../errors.js';
import type { DataLocation, TenancyStrategy } from '../tenancy/strategy.js';
import type { ErasurePlan } from './erase-plan.js';
import { failpoint } from './failpoint.js';
import { equalsId, qualified, tenantRows, type SharedLocation } from './locate.js';
import { refuseSharedRows } from './shared-rows.js';
import { appendReceipt, ensureReceipts, slugHash, type Receipt } from './receipts.js';
import { scanTenantTraces, type ClusterScanResult } from '../citus/erase-scan.js';
import { detectCitus } from '../citus/detect.js';
import { requireEveryWorker } from '../citus/node-states.js';
import { scanAfterCommit } from './scan-after-commit.js';
import { scrubToolHistory } from './tool-history.js';
import { schemaLockName, withTenantLock } from '../tenancy/locks.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import { dependentsRefusal, outsideDependents } from './outside-dependents.js';
import { qualifiedIdent } from '../db/ident.js';

/** Who erases and why; all of it goes into the receipt. */
export interface EraseOptions {
  strategy: TenancyStrategy;
  actor: string;
  reason: string;
  ticket?: string;
  now?: () => Date;
  /** TENANTCTL_FAILPOINT value (tests only). */
  failpoints?: string;
  /** Fail at once (exit 75) when another command holds the tenant's lock. @default false (wait) */
  noWait?: boolean;
  /** Told once when the erasure queues behind another command on this tenant. */
  onWait?: (message: string) => void;
  /** Told once the erasure has committed, before its scan (EraseRequest.onCommitted). */
  onCommitted?: (receipt: number) => void;
}

/** The outcome of an erasure: the receipt, and the scan that proves nothing is left. */
export interface Erasure {
  receipt: Receipt;
  scan: ClusterScanResult;
}


async function deleteRows(tx: Sql, location: DataLocation & { column: string }, tenantId: string): Promise<number> {
  const [row] = await tx`with d as (delete from ${qualifiedIdent(tx, location.schema, location.table)} where ${tenantRows(tx, location, equalsId(tx, tenantId))} returning 1) select count(*)::int as n from d`;
  return (row as { n: number }).n;
}

/**
 * Delete the tenant's rows from every shared table. Tables can reference each other, so
 * each delete runs under a savepoint: one blocked by a foreign key goes to the back of the
 * queue and is retried after the others; no progress in a full round is a real error.
 */
async function deleteShared(tx: Tx, shared: SharedLocation[], tenantId: string): Promise<Record<string, number>> {
  const savepoint = tx.savepoint;
  const counts: Record<string, number> = {};
  let queue = [...shared];
  while (queue.length) {
    const blocked: { location: SharedLocation; error: unknown }[] = [];
    for (const location of queue) {
      try {
        counts[qualified(location)] = (counts[qualified(location)] ?? 0) + (await savepoint((sp) => deleteRows(sp, location, tenantId)));
      } catch (error) {
        if (!isPgError(error) || error.code !== '23503') throw error;
        blocked.push({ location, error });
      }
    }
    if (blocked.length === queue.length) {
      const first = blocked[0]!;
      throw new TenantctlError('ERASE_BLOCKED', `Cannot delete the tenant's rows from ${qualified(first.location)}: ${(first.error as Error).message}.`, {
        hint: 'A table outside the plan references these rows without ON DELETE CASCADE. Add a tenant_id column (or a cascading foreign key) to it, then run the erasure again. Nothing was erased.',
        details: { blocked: blocked.map((b) => qualified(b.location)) },
      });
    }
    queue = blocked.map((b) => b.location);
  }
  return counts;
}

/**
 * What to do about ids the scan still found. Hits only in shards on workers (`table_<shardid>`)
 * or a leftover schema there, with the coordinator clean, are no unknown column: the deletes
 * reached every active copy, so a worker's copy is stale (a worker disabled during an earlier
 * erasure keeps its old copy of the reference tables). A table made on a worker by hand is not.
 */
function incompleteHint(scan: ClusterScanResult, strategy: TenancyStrategy): string {
  const staleCopy = (table: string) => (scan.workers?.some((w) => table.startsWith(`${w}/`)) ?? false) && /(_\d+| \(schema, \d+ relations\))$/.test(table);
  if (scan.found.every((f) => staleCopy(f.table))) {
    return 'The coordinator is clean: these are stale copies on a worker (one that was disabled during an earlier erasure keeps its old copy of the reference tables, and a tenant schema it held). On the coordinator run SELECT replicate_reference_tables(); to replace the stale copies, drop a leftover tenant schema on that worker by hand, then look for the id there again.';
  }
  return `These tables hold the id in a column the plan did not recognise (not a foreign key to ${strategy.registry.schema}.${strategy.registry.table}, not tenant_id / organization_id). Delete those rows by hand and rename the column to tenant_id so future erasures find it.`;
}

/**
 * Erase a tenant in ONE transaction: take the tenant's lock, its schema's migration lock and its row, delete
 * its rows from every shared table found in the catalog, drop its storage, remove the
 * migration bookkeeping of its schema, delete the registry row, and append a receipt to the
 * chain. A crash at any point leaves the tenant untouched (nothing commits) or fully erased.
 * Afterwards every table of the database (on a Citus coordinator: of every worker too) is
 * scanned for the tenant id: a hit throws ERASURE_INCOMPLETE (exit 1) naming the tables.
 */
export async function eraseTenant(sql: Pool, plan: ErasurePlan, options: EraseOptions): Promise<Erasure> {
  const now = options.now ?? (() => new Date());
  const tenant = { id: plan.tenant.id, slug: plan.tenant.slug, schema: plan.tenant.schema };
  assertTenantSchema(options.strategy, tenant);
  if (!plan.locks.ok) {
    throw new TenantctlError('ERASE_LOCKS', `Erasing ${tenant.slug} needs about ${plan.locks.needed} locks in one transaction (its schema has ${plan.locks.relations} relations); the server's lock table holds ${plan.locks.capacity} for everyone (max_locks_per_transaction ${plan.locks.maxLocksPerTransaction} × (max_connections ${plan.locks.maxConnections} + max_prepared_transactions ${plan.locks.maxPreparedTransactions})).`, {
      hint: `Set max_locks_per_transaction = ${plan.locks.requiredMaxLocksPerTransaction} (or more) in postgresql.conf and restart PostgreSQL, then run the erasure again. Nothing was erased.`,
      details: { ...plan.locks },
    });
  }
  // On a coordinator every worker must take the deletes: a disabled one would keep its copy of
  // the reference tables (the registry row, the tenant's shared rows) and no scan could reach it.
  const citus = await detectCitus(sql);
  if (citus) await requireEveryWorker(sql, citus, `Erasing ${tenant.slug}`, 'Nothing was erased.');
  await ensureReceipts(sql);
  const startedAt = now();
  // The tenant's lock first (import, export, restore queue on it), then its schema's migration lock and row.
  const receipt = await withTenantLock(sql, tenant, { what: 'tenant erase', registry: options.strategy.registry, noWait: options.noWait, onWait: options.onWait }, async (tx) => {
    const [locked] = await registryQuery<{ id: string | null }>(tx, 'tenants/lock-tenant', options.strategy.registry, [schemaLockName(tenant.schema), tenant.id]);
    if (!locked?.id) throw new TenantctlError('TENANT_GONE', `Tenant ${tenant.slug} disappeared while the erasure was being prepared (erased by another run?).`, { hint: `See \`tenantctl tenant receipts --slug ${tenant.slug}\`.` });
    const storage: Record<string, number> = {};
    for (const location of plan.data.own) {
      storage[location.column === null ? location.table : qualified(location)] = location.column === null
        ? Number(((await tx`select count(*)::bigint as n from ${qualifiedIdent(tx, location.schema, location.table)}`)[0] as { n: string }).n)
        : await deleteRows(tx, location as DataLocation & { column: string }, tenant.id);
    }
    // Rows that also name another tenant are kept out of the deletes; one written since the plan refuses here.
    await refuseSharedRows(tx, tenant, plan.data.shared);
    const shared = await deleteShared(tx, plan.data.shared, tenant.id);
    await failpoint(options.failpoints, 'tenant-erase:after-shared');
    // Checked again under the lock: an object made since the plan would go with the schema.
    const dependents = await outsideDependents(tx, tenant.schema);
    if (dependents.length) throw dependentsRefusal(tenant.slug, tenant.schema, dependents);
    await options.strategy.eraseStorage(tx, tenant);
    const [book] = await query<{ schema_migrations: number; schema_state: number }>(tx, 'tenants/delete-bookkeeping', [tenant.schema]);
    await scrubToolHistory(tx, { id: tenant.id, handle: tenant.slug, ownSchema: tenant.schema });
    const [registry] = await registryQuery<{ rows: number }>(tx, 'tenants/delete-tenant-row', options.strategy.registry, [tenant.id]);
    shared[qualified(plan.data.registry)] = registry!.rows;
    await failpoint(options.failpoints, 'tenant-erase:before-receipt');
    const stored = await appendReceipt(tx, (chain) => ({
      format: 'tenantctl.erasure-receipt/1',
      sequence: chain.sequence,
      tenant_id: tenant.id,
      slug_sha256: slugHash(tenant.slug),
      actor: options.actor,
      reason: options.reason,
      ticket: options.ticket ?? null,
      counts: { tenant_storage: storage, shared, bookkeeping: { 'tenantctl.schema_migrations': book!.schema_migrations, 'tenantctl.schema_state': book!.schema_state } },
      started_at: startedAt.toISOString(),
      finished_at: now().toISOString(),
      previous_digest: chain.previousDigest,
    }));
    await failpoint(options.failpoints, 'tenant-erase:before-commit');
    return stored;
  });
  options.onCommitted?.(receipt.sequence);
  const scan = await scanAfterCommit(tenant, receipt.sequence, options.failpoints, () => scanTenantTraces(sql, tenant));
  if (scan.found.length) {
    throw new TenantctlError('ERASURE_INCOMPLETE', `Tenant ${tenant.slug} was erased (receipt ${receipt.sequence}), but its id ${tenant.id} is still found in ${scan.found.map((f) => `${f.table} (${f.rows} row${f.rows === 1 ? '' : 's'}, columns ${f.columns.join(', ')})`).join('; ')}.`, {
      hint: incompleteHint(scan, options.strategy),
      details: { receipt: receipt.digest, found: scan.found },
    });
  }
  return { receipt, scan };
}
