import { EXIT, TenantctlError } from '../errors.js';

/** The refusal of a plan code that no active plan has (tenant create, tenant plan): exit 2, naming the known codes. */
export function unknownPlan(code: string, known: readonly string[]): TenantctlError {
  return new TenantctlError('UNKNOWN_PLAN', `Unknown plan "${code}".`, {
    hint: `Known plans: ${known.join(', ') || '(none: run tenantctl migrate up)'}.`,
    details: { plan: code, known: [...known] },
    exitCode: EXIT.usage,
  });
}
