import { TenantctlError } from '../errors.js';
import { failpoint } from './failpoint.js';

/**
 * Run an erasure's scan for what is left of the tenant, once the erasure has committed:
 * whatever stops the scan (a table it may not read, a lost connection) is said as that,
 * ERASURE_SCAN_FAILED, naming the receipt, and never as if the erasure itself had failed.
 * A Citus worker's failure already is one and passes through.
 */
export async function scanAfterCommit<T>(tenant: { id: string; slug: string }, receipt: number, failpoints: string | undefined, scan: () => Promise<T>): Promise<T> {
  try {
    await failpoint(failpoints, 'tenant-erase:scan');
    return await scan();
  } catch (error) {
    if (error instanceof TenantctlError && error.code === 'ERASURE_SCAN_FAILED') throw error;
    throw new TenantctlError('ERASURE_SCAN_FAILED', `Tenant ${tenant.slug} was erased (receipt ${receipt}), but the scan that proves its id ${tenant.id} is gone stopped: ${error instanceof Error ? error.message : String(error)}.`, {
      hint: 'The erasure is committed and its receipt written. Fix what stopped the scan, then look for the id by hand in the tables the message names, or in all of them.',
      details: { receipt, tenantId: tenant.id },
      cause: error,
    });
  }
}
