import type { Pool, Sql } from '../../db/connect.js';
import { query } from '../../db/queries.js';
import { usageError } from '../../errors.js';
import { lockInTransaction, tenantLockName } from '../locks.js';
import type { SubLevelSpec } from '../profile.js';
import { WORKSPACE_TYPES } from './prometric-provision.js';
import { characterCount } from '../characters.js';

/** Prometric's second isolation level: an organization's workspaces (seed 003 `workspaces`). */
export const prometricWorkspaces: SubLevelSpec = {
  label: 'workspace',
  types: WORKSPACE_TYPES.filter((t) => t !== 'main'),
  async list(sql: Sql, tenantId: string) {
    return query<{ id: string; name: string; type: string; status: string; created_at: Date; deleted: boolean; employees: number }>(sql, 'profiles/prometric/list-workspaces', [tenantId]);
  },
  async add(sql: Pool, tenantId: string, name: string, type: string) {
    const clean = name.trim();
    if (!clean || characterCount(clean) > 255) throw usageError('A workspace needs a name of 1–255 characters.');
    if (!(WORKSPACE_TYPES as readonly string[]).includes(type) || type === 'main') throw usageError(`--type ${JSON.stringify(type)}: a new workspace is a division, project or branch.`, 'Every organization has exactly one main workspace, made by tenant create.');
    return sql.begin(async (tx) => {
      // Same lock as erase and export of this tenant: a workspace never appears under an erasure.
      await lockInTransaction(tx, tenantLockName(tenantId));
      const existing = await query<{ name: string }>(tx, 'profiles/prometric/list-workspaces', [tenantId]);
      if (existing.some((w) => w.name === clean)) throw usageError(`The organization already has a workspace named ${JSON.stringify(clean)}.`);
      const [row] = await query<{ id: string; name: string; type: string; status: string; created_at: Date }>(tx, 'profiles/prometric/insert-workspace', [tenantId, clean, type, null]);
      return row!;
    });
  },
};
