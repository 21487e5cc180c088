import type { Io } from '../context.js';
import { usageError } from '../errors.js';
import type { DownImpact } from '../migrate/down-impact.js';
import type { Plan } from '../migrate/plan.js';
import { writeErr } from '../output/emit.js';
import { formatCount } from '../output/format.js';
import { copiedTables, impactJson, renderImpact } from './migrate-render.js';
import { confirmOrRequireYes } from './shared.js';
import { ask } from './tenant-prompts.js';

/** The flags that consent to a `migrate down`. */
export interface DownConsent {
  yes?: boolean;
  dropData?: boolean;
}

/**
 * Ask before a `migrate down` runs. Nothing to destroy: `--yes` or a yes on the terminal, as
 * before. Rows to destroy, or statements whose effect on rows is not measured: the list is
 * shown first, and it takes `--yes` plus an explicit acknowledgement of the loss,
 * `--drop-data` or (on a terminal) typing the row count, or answering yes to the list.
 */
export async function confirmDown(io: Io, options: DownConsent, plan: Plan, impact: DownImpact): Promise<void> {
  const schemas = plan.tenants.length + (plan.shared?.migrations.length ? 1 : 0);
  if (schemas === 0) return;
  const question = `Revert ${plan.shared?.migrations.length ?? 0} shared migration(s) and ${plan.tenants.length} tenant schema(s)?`;
  if (impact.rows === 0 && impact.unmeasured.length === 0) {
    const none = impact.copied.length ? `It copies ${copiedTables(impact)} in full first; no other table it drops or empties holds rows now.` : 'No table it drops or empties holds rows now.';
    return confirmOrRequireYes(io, options, `${question} ${none}`, 'migrate down');
  }
  if (options.yes && options.dropData) return;
  const what = impact.rows > 0 ? `would destroy ${formatCount(impact.rows)} rows in ${impact.schemas} schema(s)` : `runs ${impact.unmeasured.length} statement(s) that may change or destroy rows`;
  if (!io.interactive) {
    throw usageError(`migrate down ${what}; it needs --yes and --drop-data to do that.\n${renderImpact(impact)}`, 'Check the list (or run with --dry-run), take a backup (tenantctl backup create), then re-run with --yes --drop-data. Nothing was changed.', { destroys: impactJson(impact) });
  }
  writeErr(io, renderImpact(impact));
  await confirmOrRequireYes(io, options, `${question} ${impact.rows > 0 ? 'This destroys the rows listed above.' : 'The statements listed above may destroy rows.'}`, 'migrate down');
  if (options.dropData || impact.rows === 0) return;
  const typed = await ask(io, `Type the number of rows that will be destroyed (${impact.rows}) to confirm`);
  if (typed.replace(/[\s,._']/g, '') !== String(impact.rows)) throw usageError('The number typed does not match; migrate down cancelled.', 'Nothing was changed.');
}
