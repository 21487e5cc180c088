import { describe, expect, it } from 'vitest';
import { keptCopies } from '../../src/migrate/down-copies.js';
import { destroyTargets, fullCopy, unmeasuredChange } from '../../src/migrate/down-targets.js';

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

  it('reads names as the server scans them: a no-break space is part of a name, a non-ASCII word is no keyword, a long name is left whole (the server cuts it, in its encoding)', () => {
    expect(destroyTargets('drop table foo\u00a0bar')).toEqual([{ action: 'drop table', name: 'foo\u00a0bar' }]);
    // `constraınt` (dotless ı) is a column's name: PostgreSQL drops that column.
    expect(destroyTargets('alter table t drop constraınt')).toEqual([{ action: 'drop column', name: 't', column: 'constraınt' }]);
    expect(destroyTargets(`drop table ${'a'.repeat(70)}, "${'ä'.repeat(40)}"`)).toEqual([
      { action: 'drop table', name: 'a'.repeat(70) },
      { action: 'drop table', name: 'ä'.repeat(40) },
    ]);
  });

  it('reads DELETE FROM [ONLY] t, with or without WHERE (its rows are at stake)', () => {
    expect(destroyTargets('delete from products')).toEqual([{ action: 'delete', name: 'products' }]);
    expect(destroyTargets('DELETE FROM ONLY public."Orders" o USING x WHERE o.id = x.id')).toEqual([{ action: 'delete', schema: 'public', name: 'Orders' }]);
  });
});

describe('fullCopy: an INSERT … SELECT that copies every row of a table', () => {
  it('reads INSERT INTO t [(columns)] SELECT <columns or *> FROM s [[AS] alias]', () => {
    expect(fullCopy('insert into public.audit_logs_flat (id, action) select id, action from public.audit_logs')).toEqual({ into: { schema: 'public', name: 'audit_logs_flat' }, source: { schema: 'public', name: 'audit_logs' }, columns: ['id', 'action'], intoColumns: ['id', 'action'] });
    expect(fullCopy('INSERT INTO foo_new SELECT * FROM foo')).toEqual({ into: { name: 'foo_new' }, source: { name: 'foo' }, columns: '*' });
    expect(fullCopy('insert into foo_new overriding system value select all f.* from foo as f')).toMatchObject({ source: { name: 'foo' }, columns: '*' });
    expect(fullCopy('insert into foo_new select f.id, public.foo."Note" from foo f')).toMatchObject({ columns: ['id', 'Note'] });
  });

  it('is no full copy when anything may leave rows or values behind', () => {
    for (const sql of [
      'insert into public.foo_new select * from public.foo where id > 2',
      'insert into n select * from foo join bar using (id)',
      'insert into n select * from foo, bar',
      'insert into n select * from foo limit 2',
      'insert into n select * from foo offset 1',
      'insert into n select * from foo fetch first 2 rows only',
      'insert into n select * from foo order by id limit 1',
      'insert into n select id from foo group by id',
      'insert into n select id from foo group by id having count(*) > 1',
      'insert into n select distinct * from foo',
      'insert into n select distinct on (id) * from foo',
      'insert into n select * from foo union select * from bar',
      'insert into n select * from foo except select * from bar',
      'insert into n select * from foo intersect select * from bar',
      'insert into n select max(id) from foo',
      'insert into n select id, row_number() over () from foo',
      'insert into n select * from (select * from foo where id > 2) s',
      'insert into n select (select 1), id from foo',
      'insert into n select * from foo tablesample bernoulli (50)',
      'insert into n select * from only foo',
      'insert into n select * from foo*',
      'insert into n select id::int from foo',
      'insert into n select id + 0 from foo',
      'insert into n select null from foo',
      'insert into n select current_date from foo',
      'insert into n select 1 from foo',
      'insert into n select from foo',
      'insert into n select * from foo on conflict do nothing',
      'insert into n select * from foo returning id',
      'insert into n overriding user value select * from foo',
      'insert into n values (1)',
      'with x as (select * from foo) insert into n select * from x',
      'select * from foo',
    ]) expect(fullCopy(sql), sql).toBeUndefined();
  });
});

describe('keptCopies: a copy keeps its rows only in a table that outlives the down sections', () => {
  const rebuild = ['create table foo_new (like foo including all)', 'insert into foo_new select * from foo', 'drop table foo', 'alter table foo_new rename to foo'];
  it('keeps the copy of a rebuild (create the new table, copy, drop the old, rename)', () => {
    expect(keptCopies(rebuild)).toEqual([{ at: 1, copy: { into: { name: 'foo_new' }, source: { name: 'foo' }, columns: '*' } }]);
    expect(keptCopies(['create unlogged table public.t2 (id int)', 'insert into public.t2 (id) select id from public.t', 'drop table public.t'])).toHaveLength(1);
  });

  it('keeps a copy only where every value lands in its own column: SELECT * into a table LIKE the source, or the same named columns in the same order', () => {
    expect(keptCopies(['create table foo_new (like public.foo)', 'insert into foo_new select * from public.foo', 'drop table public.foo'])).toHaveLength(1);
    expect(keptCopies(['create table foo_new (id int, name text)', 'insert into foo_new (id, name) select id, name from foo', 'drop table foo'])).toHaveLength(1);
    for (const statements of [
      // by position into a table of its own declaration: a narrower type, another column order
      ['create table foo_new (id int, name text, ts date)', 'insert into foo_new select * from foo', 'drop table foo'],
      ['create table foo_new (like bar)', 'insert into foo_new select * from foo', 'drop table foo'],
      ['create table foo_new (like foo, extra int)', 'insert into foo_new select * from foo', 'drop table foo'],
      ['create table foo_new (like foo)', 'insert into foo_new (id) select * from foo', 'drop table foo'],
      ['create table foo_new (id int, last text, first text)', 'insert into foo_new (id, last, first) select id, first, last from foo', 'drop table foo'],
      ['create table foo_new (id int, name text)', 'insert into foo_new select id, name from foo', 'drop table foo'],
    ]) {
      expect(keptCopies(statements), statements.join('; ')).toEqual([]);
    }
  });

  it('does not keep a copy into a table not created before it, a temporary one, one with a trigger or rule, or itself', () => {
    for (const statements of [
      rebuild.slice(1),
      ['create temp table foo_new (id int)', ...rebuild.slice(1)],
      ['create temporary table foo_new (id int)', ...rebuild.slice(1)],
      ['create table pg_temp.foo_new (id int)', 'insert into pg_temp.foo_new select * from foo', 'drop table foo'],
      ['create table if not exists foo_new (id int)', ...rebuild.slice(1)],
      ['create table foo_new partition of parent for values in (1)', ...rebuild.slice(1)],
      ['create table other.foo_new (id int)', ...rebuild.slice(1)],
      [rebuild[0]!, 'create trigger skip before insert on foo_new for each row execute function skip()', ...rebuild.slice(1)],
      [rebuild[0]!, 'create or replace rule skip as on insert to foo_new do instead nothing', ...rebuild.slice(1)],
      ['create table foo (id int)', 'insert into foo select * from foo', 'drop table foo'],
    ]) expect(keptCopies(statements), statements.join('; ')).toEqual([]);
  });

  it('does not keep a copy whose table is dropped, emptied or loses a column later, under any name it is renamed to, or after a DROP SCHEMA', () => {
    for (const after of [['drop table foo_new'], ['truncate foo_new'], ['delete from foo_new'], ['alter table foo_new drop column id'], ['alter table foo_new rename to bar', 'drop table s.bar'], ['drop schema s cascade']]) {
      expect(keptCopies([...rebuild.slice(0, 3), ...after]), after.join('; ')).toEqual([]);
    }
    // The rebuilt table is dropped by a later down section under its old name: the copy keeps nothing.
    expect(keptCopies([...rebuild, 'drop table foo'])).toEqual([]);
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
