import { describe, expect, it } from 'vitest';
import { copiedFrom, destroyTargets, unmeasuredChange } from '../../src/migrate/down-targets.js';

describe('destroyTargets: what a down statement drops or empties', () => {
  it('reads DROP TABLE lists, IF EXISTS, qualified and quoted names', () => {
    expect(destroyTargets('DROP TABLE IF EXISTS a, public.b, "Mixed"."Case" CASCADE')).toEqual([
      { action: 'drop table', name: 'a' },
      { action: 'drop table', schema: 'public', name: 'b' },
      { action: 'drop table', schema: 'Mixed', name: 'Case' },
    ]);
  });

  it('reads TRUNCATE [TABLE] [ONLY] … and DROP SCHEMA', () => {
    expect(destroyTargets('truncate table only orders, order_items * restart identity cascade')).toEqual([
      { action: 'truncate', name: 'orders' },
      { action: 'truncate', name: 'order_items' },
    ]);
    expect(destroyTargets('truncate Products')).toEqual([{ action: 'truncate', name: 'products' }]);
    expect(destroyTargets('drop schema if exists analytics cascade')).toEqual([{ action: 'drop schema', name: 'analytics' }]);
  });

  it('reads dropped columns, not dropped constraints, defaults or NOT NULL', () => {
    expect(destroyTargets('alter table if exists only products drop column if exists note, drop constraint p_chk, alter column sku drop default, alter column sku drop not null, drop legacy')).toEqual([
      { action: 'drop column', name: 'products', column: 'note' },
      { action: 'drop column', name: 'products', column: 'legacy' },
    ]);
    expect(destroyTargets('alter table shop.products add column x int')).toEqual([]);
  });

  it('ignores everything else, and names inside strings or comments', () => {
    for (const sql of ['drop index products_sku', 'drop view v', "select 'drop table x'", '-- drop table x\nselect 1', 'drop function f()']) expect(destroyTargets(sql), sql).toEqual([]);
  });

  it('folds A-Z alone in an unquoted name, as PostgreSQL does: Ärger, İndex and ＦＵＬＬ keep their letters', () => {
    expect(destroyTargets('drop table Ärger, İndex, ＦＵＬＬ, public.Straße')).toEqual([
      { action: 'drop table', name: 'Ärger' },
      { action: 'drop table', name: 'İndex' },
      { action: 'drop table', name: 'ＦＵＬＬ' },
      { action: 'drop table', schema: 'public', name: 'straße' },
    ]);
    expect(destroyTargets('truncate ÄrgerXY')).toEqual([{ action: 'truncate', name: 'Ärgerxy' }]);
  });

  it('reads names as the server scans them: a no-break space is part of a name, a non-ASCII word is no keyword, a long name is cut to 63 bytes', () => {
    expect(destroyTargets('drop table foo\u00a0bar')).toEqual([{ action: 'drop table', name: 'foo\u00a0bar' }]);
    // `constraınt` (dotless ı) is a column's name: PostgreSQL drops that column.
    expect(destroyTargets('alter table t drop constraınt')).toEqual([{ action: 'drop column', name: 't', column: 'constraınt' }]);
    expect(destroyTargets(`drop table ${'a'.repeat(70)}, "${'ä'.repeat(40)}"`)).toEqual([
      { action: 'drop table', name: 'a'.repeat(63) },
      { action: 'drop table', name: 'ä'.repeat(31) },
    ]);
  });

  it('reads DELETE FROM [ONLY] t, with or without WHERE (its rows are at stake)', () => {
    expect(destroyTargets('delete from products')).toEqual([{ action: 'delete', name: 'products' }]);
    expect(destroyTargets('DELETE FROM ONLY public."Orders" o USING x WHERE o.id = x.id')).toEqual([{ action: 'delete', schema: 'public', name: 'Orders' }]);
  });
});

describe('copiedFrom: a down section that rebuilds a table keeps its rows', () => {
  it('reads the sources of INSERT … SELECT', () => {
    expect(copiedFrom('insert into public.audit_logs_flat (id) select id from public.audit_logs')).toEqual([{ schema: 'public', name: 'audit_logs' }]);
    expect(copiedFrom('insert into t values (1)')).toEqual([]);
    expect(copiedFrom('select * from t')).toEqual([]);
  });
});

describe('unmeasuredChange: down statements that may destroy rows in a way not counted', () => {
  it('names UPDATE, a WITH query, DO, MERGE, a column type change, DROP … CASCADE of a type, DROP OWNED and unknown statements', () => {
    expect(unmeasuredChange('update big set v = null')).toBe('UPDATE changes rows');
    expect(unmeasuredChange('with gone as (delete from big returning 1) select count(*) from gone')).toBe('a WITH query may delete or change rows');
    expect(unmeasuredChange("do $$ begin execute 'drop table big'; end $$")).toBe('a DO block runs code that is not read');
    expect(unmeasuredChange('merge into t using s on t.id = s.id when matched then delete')).toBe('MERGE changes and deletes rows');
    expect(unmeasuredChange('alter table big alter column v type int using null')).toMatch(/^ALTER TABLE … TYPE/);
    expect(unmeasuredChange('alter table big alter v set data type int')).toMatch(/^ALTER TABLE … TYPE/);
    expect(unmeasuredChange('drop type mood cascade')).toMatch(/^DROP TYPE … CASCADE/);
    expect(unmeasuredChange('drop extension hstore cascade')).toMatch(/^DROP EXTENSION … CASCADE/);
    expect(unmeasuredChange('drop owned by app')).toMatch(/^DROP OWNED/);
    expect(unmeasuredChange('insert into t values (1) on conflict (id) do update set v = excluded.v')).toMatch(/ON CONFLICT DO UPDATE/);
    expect(unmeasuredChange('call purge()')).toBe('CALL is not read for what it changes');
  });

  it('leaves alone what destroyTargets counts and what keeps every row', () => {
    for (const sql of ['drop table t', 'truncate t', 'delete from t', 'drop schema s cascade', 'alter table t drop column c', 'alter table t add column c int', 'alter table t drop constraint k',
      'create index i on t (a)', 'drop index i', 'drop view v', 'drop function f() cascade', 'drop type mood', 'insert into t values (1)', 'insert into t values (1) on conflict do nothing',
      "select setval('s', 1)", 'comment on table t is null', 'grant select on t to r', 'alter index i rename to j', '-- update t set a = 1\nselect 1']) {
      expect(unmeasuredChange(sql), sql).toBeUndefined();
    }
  });
});
