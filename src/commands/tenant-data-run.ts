import { isAbsolute, join } from 'node:path';
import type { Io } from '../context.js';
import type { Pool } from '../db/connect.js';
import { TenantctlError, usageError } from '../errors.js';
import { emit, writeErr } from '../output/emit.js';
import { resolveTenant } from '../tenancy/registry.js';
import { listReceipts, slugHash, verifyReceipts } from '../tenants/receipts.js';
import { sayWhereOnStop } from './graceful-stop.js';
import { actorOf, confirmErasure, reasonOf } from './tenant-prompts.js';
import { printablePlan, renderErasureAny, renderErasurePlanAny, renderErasureRefusal, renderExport, renderReceipt, renderReceipts } from './tenant-render.js';
import { withTenant } from './tenant-ref.js';
import { waitNotice, withProfile, type GlobalOptions } from './shared.js';

export type ExportOptions = GlobalOptions & { out: string; wait: boolean };
export type EraseOptions = GlobalOptions & { dryRun?: boolean; yes?: boolean; confirm?: string; reason?: string; ticket?: string; actor?: string; wait: boolean; sharedRows: 'refuse' | 'tombstone' };
export type ReceiptOptions = GlobalOptions & { slug?: string; verify?: boolean };

/** `tenant export`, loaded when it runs. */
export async function runExport(io: Io, ref: string, options: ExportOptions): Promise<void> {
  const out = isAbsolute(options.out) ? options.out : join(io.cwd, options.out);
  const lock = { noWait: !options.wait, onWait: waitNotice(io) };
  await withTenant(io, options, ref, async (sql, profile, t) => emit(io, options, await profile.lifecycle.export(sql, profile, t, out, io.now, lock), renderExport));
}

/** `tenant erase`, loaded when it runs: the plan (a dry run stops there), the confirmation, the erasure. */
export async function runErase(io: Io, ref: string, options: EraseOptions): Promise<void> {
  await withProfile(io, options, async (sql, profile) => {
    const tenant = await resolveTenant(sql, profile, ref).catch((error) => alreadyErased(sql, ref, error));
    if ('receipt' in tenant) return emit(io, options, tenant, (d) => `tenant ${ref} was already erased:\n${renderReceipt(d.receipt)}`);
    if (options.sharedRows === 'tombstone' && !profile.pooled?.tombstone) {
      throw usageError(`--shared-rows tombstone: the ${profile.name} profile declares no placeholder rows to re-point at.`, 'Leave the flag out: rows other tenants keep make the erasure refuse, with a report naming them.');
    }
    const plan = await profile.lifecycle.planErase(sql, profile, tenant, { sharedRows: options.sharedRows }).catch((error: unknown) => {
      // The dry run shows a refusal as its plan (exit 1); a real run just fails with it.
      if (options.dryRun && error instanceof TenantctlError && (error.code === 'TENANT_SCHEMA_MISMATCH' || error.code === 'ERASE_REFUSED')) return error;
      throw error;
    });
    if (plan instanceof TenantctlError) {
      process.exitCode = 1;
      return emit(io, options, { dryRun: true, refused: plan.toJSON() }, () => `${renderErasureRefusal(io, tenant.handle, plan)}\n(dry run: nothing was changed)`);
    }
    const printable = printablePlan(plan);
    // A plan that ends in REFUSED (rows other tenants need) exits 1 like the erasure would, so a script can tell.
    if (options.dryRun && 'blocked' in plan && plan.blocked) process.exitCode = 1;
    if (options.dryRun) return emit(io, options, { dryRun: true, plan: printable }, (d) => renderErasurePlanAny(io, plan) + (d.dryRun ? '\n(dry run: nothing was changed)' : ''));
    if (io.interactive) writeErr(io, renderErasurePlanAny(io, plan));
    await confirmErasure(io, tenant, options);
    const reason = await reasonOf(io, options.reason, 'the erasure', 'erasure requested (no reason given)');
    let committed: number | undefined;
    const where = () => (committed === undefined
      ? `the erasure of ${tenant.handle} was stopped before it reported its commit: the server rolls it back as this connection closes, unless the commit was already on its way (\`tenantctl tenant receipts --slug ${tenant.handle}\` shows whether it was erased).`
      : `tenant ${tenant.handle} IS erased (committed, receipt ${committed}); only the scan that proves its id is gone was stopped. Look for the id ${tenant.id} by hand, or see \`tenantctl tenant receipts --slug ${tenant.handle}\`.`);
    const erasure = await sayWhereOnStop(io, where, () => profile.lifecycle.erase(sql, profile, plan, { actor: actorOf(io, options.actor), reason, ticket: options.ticket, now: io.now, failpoints: io.env.TENANTCTL_FAILPOINT, noWait: !options.wait, onWait: waitNotice(io), onCommitted: (receipt) => { committed = receipt; } }));
    emit(io, options, { erased: true, receipt: erasure.receipt, scan: erasure.scan }, () => renderErasureAny(erasure));
  });
}

/** `tenant receipts`, loaded when it runs. */
export async function runReceipts(io: Io, options: ReceiptOptions): Promise<void> {
  await withProfile(io, options, async (sql) => {
    const receipts = await listReceipts(sql, options.slug);
    // The chain can only be checked whole: verify always reads every receipt.
    const problems = options.verify ? verifyReceipts(options.slug ? await listReceipts(sql) : receipts) : undefined;
    emit(io, options, { receipts, ...(problems ? { ok: problems.length === 0, problems } : {}) }, () => renderReceipts(io, receipts, problems));
    if (problems?.length) process.exitCode = 1;
  });
}

/**
 * An unknown tenant that was erased before: its receipt (matched by the id, or the sha256
 * of the handle) instead of the error. Otherwise the unknown-tenant error, saying there is
 * no receipt either.
 */
async function alreadyErased(sql: Pool, ref: string, error: unknown): Promise<{ alreadyErased: true; receipt: Awaited<ReturnType<typeof listReceipts>>[number] }> {
  if (!(error instanceof TenantctlError) || error.code !== 'TENANT_NOT_FOUND') throw error;
  const receipt = (await listReceipts(sql)).filter((r) => r.tenantId === ref.toLowerCase() || r.slugSha256 === slugHash(ref)).at(-1);
  if (!receipt) throw new TenantctlError(error.code, `${error.message} There is no erasure receipt for it either.`, { hint: error.hint, details: error.details, exitCode: error.exitCode });
  return { alreadyErased: true, receipt };
}
