import type { Io } from '../context.js';
import type { SchemaOutcome } from '../migrate/apply.js';
import type { DownImpact } from '../migrate/down-impact.js';
import { compareVersions } from '../migrate/files.js';
import type { Plan } from '../migrate/plan.js';
import type { RunReport } from '../migrate/run.js';
import type { ScopedStatus } from '../migrate/status-scope.js';
import type { Drift, StatusReport } from '../migrate/status.js';
import { formatCount, formatDuration, formatTable } from '../output/format.js';
import { style } from '../output/style.js';

const listSome = (items: string[], max = 8): string => (items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} … (+${items.length - max} more)`);

/** `migrate status` for people: the shared schema and/or the tenants, as the flags selected. */
export function renderStatus(io: Io, r: ScopedStatus): string {
  const lines: string[] = [];
  if (r.shared) {
    const sharedState = r.shared.aheadOfCheckout ? style(io, 'red', `AHEAD of this checkout (database has ${r.shared.aheadOfCheckout})`)
      : r.shared.pending.length ? style(io, 'yellow', `behind (pending: ${r.shared.pending.join(', ')})`)
      : style(io, 'green', 'up to date');
    lines.push(`shared (public)  version ${r.shared.version ?? '(none)'} of ${r.latest.shared ?? '(none)'} · ${sharedState}`);
    if (r.shared.failure) lines.push(style(io, 'red', `  failed: ${r.shared.failure.file ?? ''}:${r.shared.failure.line ?? ''} ${r.shared.failure.message}`));
  }
  // A pooled profile has no tenant migrations and no tenant schemas: its tenants are rows of the shared schema.
  if (r.tenants && r.latest.tenant === null && r.tenants.total === 0) lines.push('tenants          no schemas of their own: every tenant is rows of the shared schema above');
  else if (r.tenants) lines.push(...renderTenantStatus(io, r.tenants, r.latest.tenant));
  const ahead = r.tenants?.ahead ?? [];
  if (ahead.length || r.shared?.aheadOfCheckout) {
    const newest = [...(r.shared?.aheadOfCheckout ? [`shared ${r.shared.aheadOfCheckout}`] : []), ...(ahead.length ? [`tenant ${ahead.map((a) => a.version).sort(compareVersions).at(-1)}`] : [])].join(', ');
    const who = [...(r.shared?.aheadOfCheckout ? ['shared (public)'] : []), ...ahead.map((a) => a.slug)];
    lines.push(style(io, 'red', `ahead of this checkout: ${listSome(who)}: the database has ${newest}, newer than the files here (shared ${r.latest.shared ?? 'none'}, tenant ${r.latest.tenant ?? 'none'}); migrate up and tenant create refuse until the migrations are updated`));
  }
  const drift = [...(r.shared?.drifted ?? []).map((v) => `shared ${v}`), ...(r.tenants?.drifted ?? []).map((d) => `${d.slug} ${d.versions.join(',')}`)];
  if (drift.length) lines.push(style(io, 'red', `checksum drift (run migrate verify): ${listSome(drift)}`));
  return lines.join('\n');
}

function renderTenantStatus(io: Io, t: StatusReport['tenants'], latest: string | null): string[] {
  const ahead = t.ahead.length ? ` · ${style(io, 'red', `${t.ahead.length} ahead of this checkout`)}` : '';
  const lines = [`tenants          ${t.total} · ${t.atLatest} at latest (${latest ?? 'none'}) · ${t.behind.length} behind${ahead} · ${t.failed.length} failed`];
  if (t.byVersion.length) {
    lines.push(formatTable(t.byVersion.map((v) => ({ version: v.version ?? '(none)', tenants: v.tenants })), [{ key: 'version' }, { key: 'tenants', align: 'right' }], io.color));
  }
  if (t.behind.length) {
    // Grouped by what is pending: a file that came in below the newest applied one (a merge) shows up as a gap.
    const byPending = new Map<string, string[]>();
    for (const b of t.behind) {
      const pending = b.pending.join(', ');
      byPending.set(pending, [...(byPending.get(pending) ?? []), b.slug]);
    }
    const groups = [...byPending].slice(0, 5).map(([pending, slugs]) => `${listSome(slugs)} (pending ${pending})`);
    lines.push(`behind: ${groups.join('; ')}${byPending.size > 5 ? ` … and ${byPending.size - 5} more groups (see --json)` : ''}`);
  }
  for (const f of t.failed.slice(0, 10)) lines.push(style(io, 'red', `failed ${f.slug}: ${f.failure.file ?? ''}:${f.failure.line ?? ''}:${f.failure.column ?? ''} ${f.failure.message}`));
  if (t.failed.length > 10) lines.push(`… and ${t.failed.length - 10} more failed (see --json)`);
  for (const m of t.schemaMismatch.slice(0, 10)) lines.push(style(io, 'red', `refused ${m.slug}: ${m.column} is "${m.registered}", expected ${m.expected}: migrate refuses every run that includes this tenant until the row is fixed`));
  if (t.missingSchema.length) lines.push(style(io, 'yellow', `tenant rows without a schema: ${listSome(t.missingSchema)}`));
  return lines;
}

/** `--dry-run`: the SQL per scope; tenants with the same pending files are grouped. */
export function renderPlan(plan: Plan): string {
  const out: string[] = [];
  const section = (title: string, p: { migrations: Plan['tenants'][number]['migrations'] }): void => {
    out.push(`-- ${title}`);
    for (const m of p.migrations) {
      const part = plan.direction === 'up' ? m.up : m.down!;
      out.push(`-- ${m.path}${part.transaction ? '' : ' (no transaction)'}`, part.sql.trim(), '');
    }
  };
  if (plan.shared?.migrations.length) section(`shared (public): ${plan.direction} ${plan.shared.migrations.map((m) => m.file).join(', ')}`, plan.shared);
  const groups = new Map<string, Plan['tenants']>();
  for (const t of plan.tenants) {
    const key = t.migrations.map((m) => m.version).join(',');
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  for (const group of groups.values()) {
    section(`${group.length} tenant schema${group.length > 1 ? 's' : ''} (${listSome(group.map((t) => t.schema))}): ${plan.direction} ${group[0]!.migrations.map((m) => m.file).join(', ')}`, group[0]!);
  }
  for (const s of plan.skipped) out.push(`-- skipped ${s.slug}: ${s.reason}`);
  if (out.length === 0) out.push('-- nothing to do: everything selected is up to date');
  return out.join('\n');
}

const failureLine = (o: SchemaOutcome): string =>
  `${o.slug ?? 'shared'}: ${o.error!.file}:${o.error!.line}:${o.error!.column}: ${o.error!.message}${o.error!.detail ? ` (${o.error!.detail})` : ''}`;

/** The end-of-run summary of `migrate up` / `down`. */
export function renderReport(io: Io, r: RunReport): string {
  const lines: string[] = [];
  if (r.shared) {
    // On failure the file that failed comes first; the versions that did apply are secondary.
    const done = r.shared.versions.length ? ` ${r.shared.versions.join(', ')}` : '';
    const head = r.shared.outcome === 'failed' && r.shared.error
      ? `${style(io, 'red', 'FAILED')} at ${r.shared.error.file} (version ${r.shared.error.version})${done ? `; applied before it:${done}` : ''}`
      : `${r.shared.outcome}${done}`;
    lines.push(`shared: ${head}`);
    if (r.shared.error) lines.push(style(io, 'red', failureLine(r.shared)));
  }
  const s = r.summary;
  const verb = r.direction === 'up' ? `${s.applied} migrated` : `${s.reverted} reverted`;
  lines.push(`tenants: ${s.tenants} · ${verb} · ${s.upToDate} unchanged · ${s.failed} failed · ${s.skipped} skipped${s.notRun ? ` · ${s.notRun} not run` : ''} · ${formatDuration(r.durationMs)}`);
  if (r.interrupted) lines.push(`interrupted: the schemas under way finished; ${s.notRun} were not started. Run the same command again to go on.`);
  for (const o of r.tenants.filter((t) => t.outcome === 'failed').slice(0, 20)) lines.push(style(io, 'red', failureLine(o)));
  for (const o of r.tenants.filter((t) => t.outcome === 'skipped').slice(0, 20)) lines.push(style(io, 'yellow', `skipped ${o.slug}: ${o.reason}`));
  // Unchanged tenants whose stale failure the run cleared (run.ts): say so, or status would seem to change by itself.
  const cleared = r.tenants.filter((t) => t.outcome === 'up-to-date' && t.reason);
  if (cleared.length) lines.push(`${cleared.length} tenant${cleared.length === 1 ? '' : 's'} at the latest version had a failure recorded for a migration no longer pending: cleared (${cleared.slice(0, 10).map((t) => t.slug).join(', ')}${cleared.length > 10 ? ', …' : ''})`);
  if (!r.ok && !r.interrupted) lines.push('Fix the error and run the same command again: it resumes where it stopped (--only-failed retries just the failed tenants).');
  return lines.join('\n');
}

/** `migrate verify`. */
export function renderDrift(drift: Drift[]): string {
  if (drift.length === 0) return 'ok: every applied migration matches its file';
  return drift
    .map((d) => `${d.problem === 'changed' ? 'changed since applied' : 'file missing'}: ${d.file ?? `${d.scope} version ${d.version}`} (${d.scope}, applied in ${d.schemas.length} schema${d.schemas.length > 1 ? 's' : ''}: ${listSome(d.schemas, 5)})`)
    .join('\n')
    + '\nhint: tenantctl never runs an applied file again, so an edit reaches no schema. Restore the applied text (git checkout of the file),'
    + ' and put the change in a new migration (tenantctl migrate new <name>); a missing file: bring it back from version control.';
}

/** What a down run destroys, per table: tenant schemas are folded into one line per table. */
function impactByTable(impact: DownImpact): { action: string; table: string; schemas: number; rows: number }[] {
  const groups = new Map<string, { action: string; table: string; schemas: number; rows: number }>();
  for (const l of impact.losses) {
    const table = `${l.slug ? 'tenant' : l.schema}.${l.table}${l.column ? `.${l.column}` : ''}`;
    const key = `${l.action} ${table}`;
    const group = groups.get(key) ?? { action: l.action, table, schemas: 0, rows: 0 };
    group.schemas += 1;
    group.rows += l.rows;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.rows - a.rows || a.table.localeCompare(b.table));
}

/** --json: the totals, the per-table summary, and every schema's losses. */
export function impactJson(impact: DownImpact): unknown {
  return { rows: impact.rows, schemas: impact.schemas, byTable: impactByTable(impact), losses: impact.losses, unmeasured: impact.unmeasured, copied: impact.copied };
}

/** The tables copied in full before they are dropped or emptied, tenant schemas folded: `<tenant schema>.t (into t_new)`. */
export function copiedTables(impact: DownImpact): string {
  return [...new Set(impact.copied.map((c) => `${c.slug ? '<tenant schema>' : c.schema}.${c.table} (into ${c.into})`))].join(', ');
}

/** The rows a `migrate down` would destroy, shown before it runs (and in --dry-run). */
export function renderImpact(impact: DownImpact): string {
  const unmeasured = impact.unmeasured.length ? `\n${renderUnmeasured(impact)}` : '';
  const copied = impact.copied.length ? `\n-- copied in full before it drops or empties them, so they lose nothing: ${copiedTables(impact)}` : '';
  if (impact.rows === 0 && unmeasured) return `-- no table it drops or empties holds rows${copied ? ', other than those copied in full first' : ''}, but:${copied}${unmeasured}`;
  if (impact.rows === 0 && copied) return `-- destroys no data:${copied}\n-- every other table it drops or empties has no rows, every column it drops has no values`;
  if (impact.rows === 0) return '-- destroys no data: every table it drops or empties has no rows, every column it drops has no values';
  const rows = impactByTable(impact);
  const shown = rows.slice(0, 20).map((r) => ({ ...r, table: r.table.startsWith('tenant.') ? `<tenant schema>.${r.table.slice(7)}` : r.table }));
  const more = rows.length > shown.length ? `\n… and ${rows.length - shown.length} more tables (see --json)` : '';
  const upTo = impact.losses.some((l) => l.action === 'delete') ? '\n(delete: every row the table holds now is counted, whatever its WHERE keeps)' : '';
  return `-- destroys ${upTo ? 'up to ' : ''}${formatCount(impact.rows)} rows in ${impact.schemas} schema(s):\n${formatTable(shown, [{ key: 'action' }, { key: 'table' }, { key: 'schemas', align: 'right' }, { key: 'rows', align: 'right', format: (v) => formatCount(v as number) }], false)}${more}${upTo}${copied}${unmeasured}`;
}

/** The statements whose effect on rows was not measured: each may destroy data. */
function renderUnmeasured(impact: DownImpact): string {
  const shown = impact.unmeasured.slice(0, 10).map((u) => `--   ${u.file}: ${u.statement} (${u.why})`);
  const more = impact.unmeasured.length > shown.length ? [`--   … and ${impact.unmeasured.length - shown.length} more (see --json)`] : [];
  return ['-- these statements may change or destroy rows, and how many is not measured:', ...shown, ...more].join('\n');
}
