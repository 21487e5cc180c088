import type { Pool, Sql } from '../../db/connect.js';
import { TenantctlError } from '../../errors.js';
import { applyErase, classify, keptPeopleNote, planErase, postScan, type ErasePlan, type PostScanResult } from '../../pooled/index.js';
import type { ErasePlanOptions, EraseRequest } from '../../tenancy/lifecycle.js';
import { targetLockName, withTenantLock } from '../../tenancy/locks.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import type { Tenant } from '../../tenancy/registry.js';
import { failpoint } from '../failpoint.js';
import { appendReceipt, ensureReceipts, slugHash, type Receipt } from '../receipts.js';
import { declarationsOf } from './declarations.js';
import { scanAfterCommit } from '../scan-after-commit.js';
import { scrubToolHistory } from '../tool-history.js';

/** A pooled erasure plan: the engine's, with the tenant named as every command names it. */
export type PooledErasurePlan = ErasePlan & { tenant: ErasePlan['tenant'] & { slug: string; name: string; status: string } };

/** What a pooled erasure did: the receipt, and the post-scan that proves no row holds the tenant's id. */
export interface PooledErasure {
  receipt: Receipt;
  scan: PostScanResult;
}

/** Counts by key, adding up the counts of a key that comes more than once. */
function totals(entries: readonly (readonly [string, number])[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [key, rows] of entries) sums[key] = (sums[key] ?? 0) + rows;
  return sums;
}

/** What a personal-data declaration looked for: `emails`, `ids of users`. */
const lookedFor = (p: { holds: string; of?: string }): string => `${p.holds}${p.of ? ` of ${p.of}` : ''}`;

/**
 * Plan the erasure (pooled engine, reads only): every table holding the tenant's rows with
 * counts; every row of another tenant referencing them with its action (refuse, nullify,
 * unlink, …); personal data outside foreign keys. A plan with a refusal is `blocked`.
 */
export async function planPooledErasure(sql: Sql, profile: TenancyProfile, tenant: Tenant, options: ErasePlanOptions = {}): Promise<PooledErasurePlan> {
  const decl = declarationsOf(profile);
  const plan = await planErase(sql, decl, await classify(sql, decl), tenant.id, { sharedRows: options.sharedRows ?? 'refuse' });
  return { ...plan, tenant: { ...plan.tenant, slug: tenant.handle, name: tenant.name, status: tenant.status } };
}

const sum = (o: Record<string, number>): number => Object.values(o).reduce((n, v) => n + v, 0);

/**
 * Erase a pooled tenant in ONE transaction, under the tenant's lock and the pooled target's
 * lock (withTenantLock: --no-wait, the waiting notice, the tenant checked again once held): the engine re-checks refusals and applies the plan (row_security off), then a
 * receipt (tenant id, sha256 of the handle, counts, no personal data) joins the chain. After
 * commit the post-scan searches the schema for the tenant's id and its people's ids and
 * e-mails: a hit is ERASURE_INCOMPLETE (exit 1). A blocked plan changes nothing (ERASE_REFUSED).
 */
export async function erasePooledTenant(sql: Pool, profile: TenancyProfile, plan: PooledErasurePlan, options: EraseRequest): Promise<PooledErasure> {
  const now = options.now ?? (() => new Date());
  const decl = declarationsOf(profile);
  await ensureReceipts(sql);
  const startedAt = now();
  // The tenant's lock, and the pooled schema's (held by migrations, creates and erasures of
  // every tenant): --no-wait fails at once naming the holder, else the wait is announced.
  const schema = profile.registry.schema;
  const lock = { what: 'tenant erase', registry: profile.registry, scopeLock: { name: targetLockName(schema), label: `the lock of schema ${schema} (a migration, or a create or erasure of another tenant)` }, noWait: options.noWait, onWait: options.onWait };
  const { receipt, erasedValues, erasedNames } = await withTenantLock(sql, { id: plan.tenant.id, slug: plan.tenant.slug, schema }, lock, async (tx) => {
    const result = await applyErase(tx, plan);
    // tenantctl's own records of this tenant (status reasons, restore entries) go with it.
    await scrubToolHistory(tx, { id: plan.tenant.id, handle: plan.tenant.slug, ownSchema: null });
    await failpoint(options.failpoints, 'tenant-erase:before-receipt');
    const c = result.counts;
    const stored = await appendReceipt(tx, (chain) => ({
      format: 'tenantctl.erasure-receipt/1',
      sequence: chain.sequence,
      tenant_id: plan.tenant.id,
      slug_sha256: slugHash(plan.tenant.slug),
      actor: options.actor,
      reason: options.reason,
      ticket: options.ticket ?? null,
      counts: {
        tenant_storage: c.deleted,
        // A column's personal data is keyed by what was looked for (its e-mails and its names
        // are two scrubs of one text); a reference and a co-owned row acting on the same
        // columns the same way concern different rows, which add up.
        shared: totals([
          ...c.references.map((r) => [`${r.table}.${r.columns.join('+')} (${r.action})`, r.rows] as const),
          ...c.personalData.map((p) => [`${p.table}.${p.column} (${p.action} ${lookedFor(p)})`, p.rows] as const),
        ]),
        bookkeeping: {},
      },
      notes: [...plan.notes, ...[keptPeopleNote(plan.keptPeople)].filter((n): n is string => n !== null), ...plan.personalData.filter((p) => p.action === 'report').map((p) => `${p.table}.${p.column}: free text holding ${lookedFor(p)}, reported (${p.rows} rows), not rewritten`)],
      started_at: startedAt.toISOString(),
      finished_at: now().toISOString(),
      previous_digest: chain.previousDigest,
    }));
    await failpoint(options.failpoints, 'tenant-erase:before-commit');
    return { receipt: stored, erasedValues: result.erasedValues, erasedNames: result.erasedNames };
  });
  options.onCommitted?.(receipt.sequence);
  const scan = await scanAfterCommit(plan.tenant, receipt.sequence, options.failpoints, () => postScan(sql, decl, plan.classification, plan.tenant.id, erasedValues, erasedNames));
  if (!scan.clean) {
    throw new TenantctlError('ERASURE_INCOMPLETE', `Tenant ${plan.tenant.slug} was erased (receipt ${receipt.sequence}, ${sum(receipt.body.counts.tenant_storage)} rows), but its id or its people's ids or e-mails are still found in ${scan.found.map((f) => `${f.table}.${f.column} (${f.rows} row${f.rows === 1 ? '' : 's'})`).join('; ')}.`, {
      hint: 'Declare those columns in the profile (tenantColumns or personalData) so erasure covers them, then clean the rows by hand; `tenantctl profile check` lists what the profile misses.',
      details: { receipt: receipt.digest, found: scan.found },
    });
  }
  return { receipt, scan };
}
