import { describe, expect, it } from 'vitest';
import { missingRoles, schemaEntries, withoutRoles } from '../../src/backup/restore-staging.js';

const LIST = `;
; Archive created at 2026-11-29 02:00:00 UTC
;
5; 2615 16390 SCHEMA - tenant_acme postgres
6; 2615 16391 SCHEMA - tenant_acme_old postgres
3390; 0 0 COMMENT - SCHEMA tenant_acme postgres
3391; 0 0 ACL - SCHEMA tenant_acme postgres
220; 1259 16392 TABLE tenant_acme products owner_role
221; 1259 16393 TABLE tenant_acme_old products postgres
3392; 0 0 ACL tenant_acme TABLE products owner_role
1234; 826 16500 DEFAULT ACL tenant_acme DEFAULT PRIVILEGES FOR TABLES postgres
3345; 0 16392 TABLE DATA tenant_acme products owner_role
3346; 0 16393 TABLE DATA tenant_acme_old products postgres
`;

describe('restore-tenant staging helpers', () => {
  it('takes the schema itself, its comment and grants, and every object in it, and nothing of a schema with a longer name', () => {
    expect(schemaEntries(LIST, 'tenant_acme').map((l) => l.split(';')[0])).toEqual(['5', '3390', '3391', '220', '3392', '1234', '3345']);
  });

  it('names the missing roles and keeps every other error', () => {
    const stderr = [
      'pg_restore: error: could not execute query: ERROR:  role "gone_1" does not exist',
      'Command was: GRANT SELECT ON TABLE tenant_acme.expenses TO gone_1;',
      'pg_restore: error: could not execute query: ERROR:  relation "x" already exists',
      'pg_restore: warning: errors ignored on restore: 2',
    ].join('\n');
    expect(missingRoles(stderr)).toEqual({ roles: ['gone_1'], otherErrors: ['pg_restore: error: could not execute query: ERROR:  relation "x" already exists'] });
  });

  it('drops only the lines that name a missing role, bare or quoted', () => {
    const grants = ['GRANT SELECT ON TABLE tenant_acme.expenses TO app;', 'GRANT SELECT ON TABLE tenant_acme.expenses TO gone;', 'GRANT ALL ON TABLE tenant_acme.x TO "gone";', 'GRANT SELECT ON TABLE tenant_acme.gone_table TO app;'].join('\n');
    expect(withoutRoles(grants, ['gone'])).toBe(['GRANT SELECT ON TABLE tenant_acme.expenses TO app;', 'GRANT SELECT ON TABLE tenant_acme.gone_table TO app;'].join('\n'));
  });
});
