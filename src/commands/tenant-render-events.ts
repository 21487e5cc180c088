import { HUMAN_WIDTH, wrapText } from '../output/format.js';
import type { TenantEvent } from '../tenants/events.js';

/** `tenant show`'s status history (suspend/resume: when, who, why), the same for every profile; '' when there is none. */
export function renderStatusHistory(events: readonly TenantEvent[]): string {
  if (!events.length) return '';
  const line = (e: TenantEvent): string =>
    wrapText(`  ${e.at.toISOString()}  ${e.action} ${e.from ?? '?'} → ${e.to ?? '?'} by ${e.actor}${e.reason ? `: ${e.reason}` : ''}${e.ticket ? ` (ticket ${e.ticket})` : ''}`, HUMAN_WIDTH, '      ');
  return `status changes:\n${events.map(line).join('\n')}`;
}
