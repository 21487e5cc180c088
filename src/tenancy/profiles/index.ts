import type { TenancyProfile } from '../profile.js';
import { commerce } from './commerce.js';
import { abparts } from './abparts.js';
import { imsop } from './imsop.js';
import { prometric } from './prometric.js';

/** The profiles built into tenantctl, in the order `profile list` shows them. */
export const BUILTIN_PROFILES: readonly TenancyProfile[] = [commerce, imsop, abparts, prometric];

/**
 * The profile of a database with no recorded profile and no --profile flag: databases
 * migrated before profiles existed are commerce databases.
 */
export const DEFAULT_PROFILE: TenancyProfile = commerce;
