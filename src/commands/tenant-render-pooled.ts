import type { Io } from '../context.js';
import { formatBytes, formatCount, formatDuration, formatRecord, formatTable } from '../output/format.js';
import type { PooledCreated } from '../tenants/pooled/create.js';
import type { PooledErasurePlan } from '../tenants/pooled/erase.js';
import type { PooledDetails } from '../tenants/pooled/read.js';

/** `tenant create` on a pooled profile, for people. */
export function renderPooledCreated(t: PooledCreated & { schemaVersion: string | null; durationMs: number }): string {
  return [
    `created tenant ${t.slug} in ${formatDuration(t.durationMs)}`,
    formatRecord({
      id: t.id,
      name: t.name,
      status: t.status,
      plan: t.plan ?? '',
      roles: t.roles.map((r) => `${r.name} (${r.permissions} permissions)`).join(', '),
      owner: `${t.owner.email} (${t.owner.role} role${t.owner.passwordSet ? '' : '; no password yet: set it through the application'})`,
      schema: `version ${t.schemaVersion ?? 'none'}`,
    }),
  ].join('\n');
}

/** `tenant show` on a pooled profile, for people. */
export function renderPooledDetails(io: Io, t: PooledDetails): string {
  const head = formatRecord({
    name: t.slug,
    id: t.id,
    status: t.status,
    schema: `${t.schema} (pooled) · version ${t.schemaVersions.at(-1) ?? 'none'}${t.migrationState === 'failed' ? ' · last migration FAILED' : ''} · about ${formatBytes(t.sizeBytes)}`,
    created: t.registry.created_at ?? '',
  });
  const tables = formatTable(t.tables, [{ key: 'table' }, { key: 'class' }, { key: 'rows', align: 'right', format: (v) => formatCount(v as number) }, { key: 'foundBy', header: 'found by' }], io.color);
  return [head, '', 'rows per table:', tables].join('\n');
}

/** `tenant erase --dry-run` on a pooled profile. */
export function renderPooledErasurePlan(io: Io, p: PooledErasurePlan): string {
  return [
    `Erasure plan for tenant ${p.tenant.slug} (${p.tenant.id}, status ${p.tenant.status}): ${p.totals.tables} tables, ${formatCount(p.totals.rows)} rows, one transaction.`,
    formatTable(p.remove, [{ key: 'table' }, { key: 'class' }, { key: 'rows', align: 'right', format: (v) => formatCount(v as number) }, { key: 'foundBy', header: 'found by' }], io.color),
  ].join('\n');
}
