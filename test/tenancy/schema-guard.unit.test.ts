import { describe, expect, it } from 'vitest';
import { schemaPerTenantMismatch } from '../../src/tenancy/schema-guard.js';

const id = '5f3a9c01-7e2b-4c1d-9a8e-0123456789ab';
const check = (schema: string, slug = 'acme') => schemaPerTenantMismatch({ id, slug, schema });

describe('schemaPerTenantMismatch (seed 004: tenant_{slug} or tenant_{uuid_short})', () => {
  it('accepts the two names seed 004 gives a tenant', () => {
    expect(check('tenant_acme')).toBeUndefined();
    expect(check('tenant_5f3a9c01')).toBeUndefined();
    expect(check('tenant_5f3a9c017e2b')).toBeUndefined();
  });

  it('refuses system, shared and tool schemas, whatever the slug', () => {
    for (const schema of ['public', 'information_schema', 'pg_catalog', 'pg_toast', 'pg_temp_3', 'tenantctl']) expect(check(schema), schema).toMatch(/system, shared or tenantctl/);
    expect(check('public', 'public')).toMatch(/system/);
  });

  it("refuses another tenant's schema, an application schema, and a too-short or foreign id prefix", () => {
    expect(check('tenant_globex')).toMatch(/neither tenant_acme/);
    expect(check('billing')).toMatch(/neither/);
    expect(check('tenant_5f3a')).toMatch(/neither/);
    expect(check('tenant_deadbeef')).toMatch(/neither/);
    expect(check('Tenant_acme')).toMatch(/neither/);
  });
});
