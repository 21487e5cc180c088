import { describe, expect, it } from 'vitest';
import { connectionUsage, reservesText } from '../../src/monitor/sessions.js';

/**
 * An ordinary role's session is refused once the client connections reach max_connections less
 * superuser_reserved_connections and (PostgreSQL 16+) reserved_connections: the check's share is
 * of those slots, and says both reserves.
 */
describe('connection usage against the slots ordinary roles may use', () => {
  it('counts reserved_connections: 8 of 20 with 3 + 10 reserved is full, not 40%', () => {
    const limits = { maxConnections: 20, superuserReserved: 3, roleReserved: 10, used: 8 };
    expect(connectionUsage(limits)).toEqual({ available: 7, usedPct: 100 });
    expect(reservesText(limits)).toBe('3 reserved for superusers, 10 for roles with pg_use_reserved_connections');
  });

  it('is a share of max_connections less the superuser reserve where there is no other (before 16, or 0)', () => {
    const limits = { maxConnections: 100, superuserReserved: 3, roleReserved: 0, used: 50 };
    expect(connectionUsage(limits)).toEqual({ available: 97, usedPct: 51.54 }); // 51.546…, rounded down
    expect(reservesText(limits)).toBe('3 reserved for superusers');
  });

  it('holds at 100% when superusers hold slots past what ordinary roles may use', () => {
    expect(connectionUsage({ maxConnections: 10, superuserReserved: 3, roleReserved: 0, used: 10 }).usedPct).toBe(100);
    expect(connectionUsage({ maxConnections: 3, superuserReserved: 3, roleReserved: 0, used: 1 })).toEqual({ available: 0, usedPct: 100 });
  });
});
