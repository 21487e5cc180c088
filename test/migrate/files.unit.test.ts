import { describe, expect, it } from 'vitest';
import { compareVersions, parseMigration } from '../../src/migrate/files.js';
import { planDown, planUp } from '../../src/migrate/plan.js';
import type { FleetState } from '../../src/migrate/state.js';

const file = (version: string, body = 'create table x (id int);', down = 'drop table x;') =>
  parseMigration('tenant', `${version}_x.sql`, `migrations/tenant/${version}_x.sql`, `-- migrate:up\n${body}\n\n-- migrate:down\n${down}\n`);

describe('parseMigration', () => {
  it('reads dbmate sections, transaction:false, and a CRLF-independent checksum', () => {
    const m = parseMigration('tenant', '0002_idx.sql', 'p', '-- migrate:up transaction:false\r\ncreate index concurrently i on t (a);\r\n-- migrate:down transaction:false\r\ndrop index concurrently i;\r\n');
    expect(m.version).toBe('0002');
    expect(m.up.transaction).toBe(false);
    expect(m.down?.statements.map((s) => s.text)).toEqual(['drop index concurrently i']);
    const lf = parseMigration('tenant', '0002_idx.sql', 'p', '-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n-- migrate:down transaction:false\ndrop index concurrently i;\n');
    expect(lf.checksum).toBe(m.checksum);
  });

  it('rejects bad names, missing sections and unknown options with the file named', () => {
    expect(() => parseMigration('tenant', 'add_users.sql', 'migrations/tenant/add_users.sql', '-- migrate:up\nselect 1;')).toThrow(/migrations\/tenant\/add_users.sql/);
    expect(() => parseMigration('tenant', '0001_a.sql', 'p', 'select 1;')).toThrow(/exactly one "-- migrate:up"/);
    expect(() => parseMigration('tenant', '0001_a.sql', 'p', '-- a comment is fine\ncreate type s as enum (\'a\');\n-- migrate:up\nselect 1;')).toThrow(/p: SQL before the first "-- migrate:" line would never run/);
  });

  it("accepts every name dbmate accepts (digits first, anything after) and names the migration from the rest", () => {
    expect(parseMigration('shared', '20240101000000-dash-separated.sql', 'p', '-- migrate:up\nselect 1;\n')).toMatchObject({ version: '20240101000000', name: 'dash-separated' });
    expect(parseMigration('shared', '20240102000000.sql', 'p', '-- migrate:up\nselect 1;\n')).toMatchObject({ version: '20240102000000', name: '20240102000000' });
    expect(parseMigration('shared', '0003_a.b.sql', 'p', '-- migrate:up\nselect 1;\n')).toMatchObject({ version: '0003', name: 'a.b' });
  });

  it('warns about unknown marker options instead of rejecting the file; only transaction:false turns the transaction off', () => {
    const m = parseMigration('tenant', '0001_a.sql', 'p', '-- migrate:up transaction:false foo:bar\nselect 1;\n-- migrate:down transactions:false\nselect 2;\n');
    expect(m.up.transaction).toBe(false);
    expect(m.down?.transaction).toBe(true);
    expect(m.warnings).toEqual([
      'p:1: unknown migration option "foo:bar" ignored (the only option is transaction:false)',
      'p:3: unknown migration option "transactions:false" ignored (the only option is transaction:false)',
    ]);
  });

  it('keeps the bytes of the file: a CRLF inside a string literal reaches the server as CRLF', () => {
    const m = parseMigration('shared', '0001_a.sql', 'p', "-- migrate:up\r\ninsert into t values ('line one\r\nline two');\r\n-- migrate:down\r\ndelete from t;\r\n");
    expect(m.up.statements[0]!.text).toBe("insert into t values ('line one\r\nline two')");
    expect(m.up.sql).toContain('\r\n');
  });

  it('an empty or comment-only down section is a no-op revert, not a missing one', () => {
    const empty = parseMigration('tenant', '0002_a.sql', 'p', '-- migrate:up\ncreate table a (id int);\n\n-- migrate:down\n\n');
    const commented = parseMigration('tenant', '0003_b.sql', 'p', '-- migrate:up\ncreate table b (id int);\n-- migrate:down\n-- nothing to undo: b is kept\n');
    expect(empty.down?.statements).toEqual([]);
    expect(commented.down?.statements).toEqual([]);
    const s: FleetState = { shared: { schema: 'public', applied: [], drifted: [] }, tenants: [{ id: '1', slug: 'a', schema: 'tenant_a', status: 'active', schemaExists: true, applied: ['0001', '0002', '0003'], drifted: [] }] };
    expect(planDown(s, { shared: [], tenant: [file('0001'), empty, commented] }, { steps: 2 }).tenants[0]!.migrations.map((m) => m.version)).toEqual(['0003', '0002']);
  });

  it('orders versions numerically', () => {
    expect(['0010', '0002', '20240101120000', '0001'].sort(compareVersions)).toEqual(['0001', '0002', '0010', '20240101120000']);
  });
});

describe('planning', () => {
  const files = { shared: [], tenant: [file('0001'), file('0002'), file('0003')] };
  const state: FleetState = {
    shared: { schema: 'public', applied: [], drifted: [] },
    tenants: [
      { id: '1', slug: 'a', schema: 'tenant_a', status: 'active', schemaExists: true, applied: ['0001', '0002', '0003'], drifted: [] },
      { id: '2', slug: 'b', schema: 'tenant_b', status: 'active', schemaExists: true, applied: ['0001'], drifted: [] },
      { id: '3', slug: 'c', schema: 'tenant_c', status: 'active', schemaExists: false, applied: [], drifted: [] },
    ],
  };

  it('plans only what is pending, up to --to, and skips tenants without a schema', () => {
    const plan = planUp(state, files, { to: '0002' });
    expect(plan.tenants.map((t) => [t.slug, t.migrations.map((m) => m.version)])).toEqual([['b', ['0002']]]);
    expect(plan.unchanged.map((u) => u.slug)).toEqual(['a']);
    expect(plan.skipped).toEqual([{ schema: 'tenant_c', slug: 'c', reason: 'schema does not exist' }]);
  });

  it('plans down newest first, by --steps or down to --to', () => {
    expect(planDown(state, files, { tenants: ['a'], steps: 2 }).tenants[0]!.migrations.map((m) => m.version)).toEqual(['0003', '0002']);
    expect(planDown(state, files, { tenants: ['a'], to: '0001' }).tenants[0]!.migrations.map((m) => m.version)).toEqual(['0003', '0002']);
  });

  it('refuses to plan a revert of a file without a down section', () => {
    const noDown = { shared: [], tenant: [parseMigration('tenant', '0001_x.sql', 'migrations/tenant/0001_x.sql', '-- migrate:up\ncreate table x (id int);\n')] };
    const s: FleetState = { ...state, tenants: [{ ...state.tenants[0]!, applied: ['0001'] }] };
    expect(() => planDown(s, noDown, {})).toThrow(/has no "-- migrate:down" section/);
  });

  it('rejects contradictory scope flags and unknown versions', () => {
    expect(() => planUp(state, files, { sharedOnly: true, tenantsOnly: true })).toThrow(/exclude each other/);
    expect(() => planUp(state, files, { to: '0009' })).toThrow(/matches no migration file/);
  });
});
