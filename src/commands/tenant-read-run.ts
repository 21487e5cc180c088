import type { Io } from '../context.js';
import { nodesOfTenants } from '../citus/placement.js';
import { usageError } from '../errors.js';
import { emit, emitRows } from '../output/emit.js';
import { formatBytes } from '../output/format.js';
import { style } from '../output/style.js';
import type { TenantSummary } from '../tenants/read.js';
import { statusWords } from '../tenancy/registry.js';
import { renderDetailsAny } from './tenant-render.js';
import { withTenant } from './tenant-ref.js';
import { withProfile, type GlobalOptions } from './shared.js';

export type ListOptions = GlobalOptions & { status?: string; plan?: string; search?: string; limit?: number; offset: number; exactSizes?: boolean; lockTimeout: string };

/**
 * The read commands' sessions: a bounded lock wait (--lock-timeout, monitor's default), so
 * that a table an application holds locked fails one statement within seconds instead of
 * keeping the command (and every session queued behind it) waiting. Tables already locked
 * are left out up front and named (read.ts), as monitor does.
 */
const readSessions = (options: { lockTimeout: string }) => ({ settings: { lock_timeout: options.lockTimeout }, waitForClose: false });

/** `tenant list`, loaded when it runs. */
export async function runList(io: Io, options: ListOptions): Promise<void> {
  await withProfile(io, options, async (sql, profile) => {
    const nodes = await nodesOfTenants(sql, profile.lifecycle.targets);
    const rows = (await profile.lifecycle.list(sql, profile, options)).map((t) => (nodes.size ? { ...t, node: nodes.get(t.slug) ?? null } : t));
    // A status no tenant has and the profile does not know is a typo: "no suspended tenants"
    // must not be what a script reads from `--status suspend`. (A status of the data's own that
    // some tenant has is listed.)
    const words = statusWords(profile.registry);
    if (options.status !== undefined && rows.length === 0 && options.offset === 0 && !words.includes(options.status)) {
      throw usageError(`--status ${JSON.stringify(options.status)} is not a status of profile ${profile.name}, and no tenant has it: the statuses are ${words.join(', ')}.`, `Pass one of ${words.join(', ')}.`);
    }
    emitRows<TenantSummary & { node?: string | null }>(io, options, rows, [
      { key: 'slug' },
      { key: 'name' },
      { key: 'status' },
      { key: 'plan' },
      // A row naming a schema not its own is not sized or versioned (tenant show says why).
      { key: 'schemaVersion', header: 'version', format: (v, r) => (r.schemaRefused ? 'REFUSED' : r.schemaExists ? String(v ?? 'none') : 'NO SCHEMA') },
      { key: 'sizeBytes', header: 'size', align: 'right', format: (v, r) => (r.schemaRefused ? '-' : formatBytes(v as number)) },
      { key: 'createdAt', header: 'created', format: (v) => (v as Date).toISOString().slice(0, 16).replace('T', ' ') },
      ...(nodes.size ? [{ key: 'node' as const, format: (v: unknown) => (v as string | null) ?? 'coordinator (not distributed)' }] : []),
    ], emptyList(options), (r) => unanalyzedNote(io, r) + lockedNote(io, r));
  }, 4, readSessions(options));
}

/** Exact sizes leave out the tables someone holds an ACCESS EXCLUSIVE lock on: say so, as monitor table-sizes --exact does. */
function lockedNote(io: Io, rows: readonly TenantSummary[]): string {
  const partial = rows.filter((r) => r.sizeLockedTables > 0);
  if (!partial.length) return '';
  return `\n${style(io, 'dim', `note: ${partial.map((r) => `${r.slug} (${r.sizeLockedTables})`).join(', ')}: tables someone holds or awaits an ACCESS EXCLUSIVE\n      lock on are left out of the size; see \`tenantctl monitor activity\``)}`;
}

/**
 * A size of 0 bytes for a tenant whose tables hold rows that no ANALYZE has seen yet (a freshly
 * loaded database) reads as "empty": say which sizes leave tables out, and how to get figures.
 */
function unanalyzedNote(io: Io, rows: readonly TenantSummary[]): string {
  const partial = rows.filter((r) => r.sizeNeverAnalyzed > 0);
  if (!partial.length) return '';
  const tables = Math.max(...partial.map((r) => r.sizeNeverAnalyzed));
  const whose = partial.length === rows.length ? 'every size' : `the size of ${partial.length} tenant(s)`;
  // Two lines: the table stays within 100 columns, and so does its note.
  return `\n${style(io, 'dim', `note: sizes are from the statistics; ${whose} leaves out up to ${tables} table(s) never analyzed\n      (counted as empty): run ANALYZE for fresh figures, or --exact-sizes`)}`;
}

/** What an empty list means: no tenant at all only when nothing narrowed it. */
function emptyList(options: ListOptions): string {
  const narrowed = [
    options.status !== undefined && `--status ${options.status}`,
    options.plan !== undefined && `--plan ${options.plan}`,
    options.search !== undefined && `--search ${JSON.stringify(options.search)}`,
  ].filter(Boolean);
  const none = narrowed.length ? `no tenants match ${narrowed.join(' ')}` : 'no tenants';
  if (options.offset > 0) return `(${none} after the first ${options.offset}: --offset is past the end of the list)`;
  if (narrowed.length) return `(${none})`;
  return '(no tenants: create one with `tenantctl tenant create`)';
}

/** `tenant show`, loaded when it runs. */
export async function runShow(io: Io, ref: string, options: GlobalOptions & { lockTimeout: string }): Promise<void> {
  await withTenant(io, options, ref, async (sql, profile, t) => {
    const details = await profile.lifecycle.show(sql, profile, t);
    const nodes = await nodesOfTenants(sql, profile.lifecycle.targets);
    // Citus: which worker holds the tenant (absent on plain PostgreSQL).
    const shown = nodes.size ? { ...details, node: nodes.get(t.handle) ?? null } : details;
    emit(io, options, shown, (d) => renderDetailsAny(io, d) + (nodes.size ? `\nnode: ${nodes.get(t.handle) ?? 'coordinator (not distributed)'}` : ''));
  }, readSessions(options));
}
