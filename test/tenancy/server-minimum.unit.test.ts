import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES } from '../../src/tenancy/profiles/index.js';
import { commerce } from '../../src/tenancy/profiles/commerce.js';
import { imsop } from '../../src/tenancy/profiles/imsop.js';
import { serverShortfall } from '../../src/tenancy/server-minimum.js';

/** The server a profile needs is the profile's data; the comparison is one rule for every profile. */
describe('a profile\'s oldest server', () => {
  it('refuses commerce on PostgreSQL 14, saying what it needs, why, and what this server is', () => {
    const refused = serverShortfall(commerce, { version: '14.23', versionNum: 140023 });
    expect(refused).toMatchObject({
      code: 'SERVER_TOO_OLD',
      message: 'Profile commerce needs PostgreSQL 15 or newer (its tenant schema uses UNIQUE NULLS NOT DISTINCT); this server is PostgreSQL 14.23.',
    });
    expect(refused!.hint).toBe('Use a PostgreSQL 15+ server: upgrade this one, or point --database-url / DATABASE_URL at a newer one. Nothing was applied or recorded.');
  });

  it('takes a server of the minimum major or newer', () => {
    expect(serverShortfall(commerce, { version: '15.0', versionNum: 150000 })).toBeNull();
    expect(serverShortfall(commerce, { version: '17.4', versionNum: 170004 })).toBeNull();
    expect(serverShortfall(imsop, { version: '14.23', versionNum: 140023 })).toBeNull();
    expect(serverShortfall(imsop, { version: '13.9', versionNum: 130009 })).toMatchObject({ code: 'SERVER_TOO_OLD' });
  });

  it('every built-in profile says its minimum: commerce 15 (the README), the pooled ones 14 (CI runs their tests there)', () => {
    expect(Object.fromEntries(BUILTIN_PROFILES.map((p) => [p.name, p.serverMinimum.major]))).toEqual({ commerce: 15, imsop: 14, abparts: 14, prometric: 14 });
  });
});
