import { describe, expect, it } from 'vitest';
import { parseMigration } from '../../src/migrate/files.js';
import { forbiddenIn } from '../../src/migrate/lint.js';
import { TenantctlError } from '../../src/errors.js';

const parse = (up: string, down = 'select 1;', options = '') => parseMigration('tenant', '0002_x.sql', 'migrations/tenant/0002_x.sql', `-- migrate:up${options}\n${up}\n-- migrate:down${options}\n${down}\n`);

function refusal(run: () => unknown): TenantctlError {
  try {
    run();
  } catch (error) {
    if (error instanceof TenantctlError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('transactional migrations may not control the transaction or move search_path', () => {
  it('refuses COMMIT; with file:line:column and the transaction:false hint', () => {
    const e = refusal(() => parse('create table a (id int);\n  COMMIT;\ncreate table b (id int);'));
    expect(e.code).toBe('MIGRATION_TRANSACTION_CONTROL');
    expect(e.message).toContain('migrations/tenant/0002_x.sql:3:3:');
    expect(e.message).toContain('transaction control (COMMIT)');
    expect(e.hint).toContain('-- migrate:up transaction:false');
  });

  it('finds every transaction-control statement, also after a comment, and in the down section', () => {
    for (const sql of ['begin;', 'BEGIN TRANSACTION;', 'start transaction isolation level serializable;', 'rollback;', 'end;', 'abort;', 'savepoint s;', 'release savepoint s;', 'rollback to savepoint s;', 'prepare transaction \'x\';', 'commit prepared \'x\';', '/* why */ -- note\n commit;']) {
      expect(forbiddenIn(sql.replace(/;$/, ''))?.what, sql).toBe('transaction-control');
    }
    const e = refusal(() => parse('select 1;', 'drop table a;\ncommit;'));
    expect(e.message).toContain(':5:1: the down section');
  });

  it('refuses search_path changes: SET [LOCAL|SESSION] search_path, SET SCHEMA, RESET, set_config, DO blocks, SET SESSION …', () => {
    for (const sql of ['SET search_path = public', 'set local search_path to x', 'set session search_path = public', 'SET SCHEMA \'public\'', 'reset search_path', 'RESET ALL', "select set_config('search_path', 'public', false)", "SELECT pg_catalog.set_config( 'SEARCH_PATH' , 'public', true)", "do $$ begin perform set_config('search_path', 'public', true); end $$", 'do $b$ begin set search_path = public; end $b$']) {
      expect(forbiddenIn(sql)?.what, sql).toBe('search-path');
    }
    const e = refusal(() => parse('create table a (id int);\nset search_path = public;\ncreate table b (id int);'));
    expect(e.code).toBe('MIGRATION_SEARCH_PATH');
    expect(e.message).toContain('0002_x.sql:3:1:');
    expect(e.hint).toContain('Qualify names');
  });

  it('refuses SET ROLE, RESET ROLE and SET SESSION AUTHORIZATION (any form) with file:line:column', () => {
    for (const sql of ['SET ROLE app_admin', 'set local role postgres', 'set session role none', 'RESET ROLE', 'set session authorization bob', 'SET LOCAL SESSION AUTHORIZATION bob', 'reset session authorization', "select set_config('role', 'postgres', true)", "do $$ begin set role postgres; end $$", "do $$ begin perform set_config('session_authorization', 'bob', false); end $$"]) {
      expect(forbiddenIn(sql)?.what, sql).toBe('role');
    }
    const e = refusal(() => parse('create table a (id int);\n\n    set role postgres;\ncreate table b (id int);'));
    expect(e.code).toBe('MIGRATION_ROLE_CHANGE');
    expect(e.message).toContain('migrations/tenant/0002_x.sql:4:5: the up section');
    expect(e.message).toContain('a change of role (SET ROLE)');
    expect(e.hint).toContain('-- migrate:up transaction:false');
    const down = refusal(() => parse('select 1;', 'drop table a;\nRESET ROLE;'));
    expect(down.message).toContain(':5:1: the down section');
    expect(down.message).toContain('(RESET ROLE)');
    // Not a change of role: role management statements and a column named role.
    for (const sql of ['alter role app set search_path = app', 'create role reader', 'select role from members', "grant reader to app", 'set rolename = 1']) expect(forbiddenIn(sql), sql).toBeUndefined();
    // Columns named role or schema that a DO block's UPDATE assigns: not a SET ROLE or SET SCHEMA.
    for (const sql of ["do $$ begin update members set role = 'admin' where is_admin; end $$", "do $$ begin update settings_kv set schema='v2'; end $$"]) expect(forbiddenIn(sql), sql).toBeUndefined();
    expect(() => parse('set role postgres;', 'select 1;', ' transaction:false')).not.toThrow();
  });

  it('refuses set_config in any quoting, and a set_config whose setting name is not one constant', () => {
    const searchPath = [
      'select pg_catalog.set_config($$search_path$$, $$tenant_ta$$, true)',
      'select set_config($p$Search_Path$p$, \'x\', true)',
      "select set_config(E'search\\x5fpath', 'x', true)",
      "select set_config(E'search\\137path', 'x', true)",
      "select set_config(U&'search\\005fpath', 'x', true)",
      "select set_config(U&'search!005fpath' UESCAPE '!', 'x', true)",
      "select set_config('search_' || 'path', 'x', true)",
      "select set_config('search_'\n'path', 'x', true)",
      'select set_config(name, \'x\', true) from (values (\'search_path\')) v(name)',
      "create table t as select set_config('search_path', 'x', true)",
      "alter table t add column c text default set_config('search_path', 'x', true)",
      'do $$ begin perform set_config($q$search_path$q$, \'x\', true); end $$',
      "do $$ begin execute 'select set_config(''search_path'', ''x'', true)'; end $$",
    ];
    for (const sql of searchPath) expect(forbiddenIn(sql)?.what, sql).toBe('search-path');
    for (const sql of ['select set_config($$role$$, $$postgres$$, true)', "select set_config(E'ro\\x6ce', 'postgres', true)", 'select set_config($r$session_authorization$r$, \'bob\', false)', 'do $$ begin perform set_config($x$role$x$, \'postgres\', true); end $$']) {
      expect(forbiddenIn(sql)?.what, sql).toBe('role');
    }
    const e = refusal(() => parse("create table a (id int);\ninsert into a select 1 from (select pg_catalog.set_config('search_' || 'path', 'tenant_ta', true)) s;"));
    expect(e.code).toBe('MIGRATION_SEARCH_PATH');
    expect(e.message).toContain('0002_x.sql:3:48: the up section');
    expect(e.message).toContain('set_config whose setting name is not one constant');
    const role = refusal(() => parse('select pg_catalog.set_config($$role$$, $$postgres$$, true);'));
    expect(role.code).toBe('MIGRATION_ROLE_CHANGE');
    expect(role.message).toContain("0002_x.sql:2:19: the up section runs in one transaction that tenantctl begins, checks and commits itself, so it may not contain a change of role (set_config('role', …))");
    // Other settings, named by one constant in any quoting, stay allowed.
    for (const sql of ["select set_config('statement_timeout', '0', true)", 'select set_config($$lock_timeout$$, $$1s$$, true)', "select set_config(E'app.tenant', 'x', true)", "insert into notes (body) values ('set_config(''search_path'', x)')"]) {
      expect(forbiddenIn(sql), sql).toBeUndefined();
    }
  });

  it('leaves strings, comments, dollar-quoted function bodies, BEGIN ATOMIC and function settings alone', () => {
    const ok = [
      "insert into notes (body) values ('begin; commit; set search_path = public')",
      '-- commit;\ncreate table t (id int)',
      "create function f() returns void language plpgsql set search_path = pg_catalog as $$ begin perform set_config('search_path', 'x', true); commit; end $$",
      'create function g() returns int language sql begin atomic select 1; end',
      'select "commit" from t',
      "comment on table t is 'ROLLBACK'",
      'set lock_timeout = 1000',
      'set local statement_timeout = 0',
      'alter role app set search_path = app, public',
      'create table begin_log (id int)',
    ];
    for (const sql of ok) expect(forbiddenIn(sql), sql).toBeUndefined();
    expect(() => parse(ok.slice(0, 4).join(';\n') + ';')).not.toThrow();
  });

  it('allows all of it in a transaction:false section, which runs statement by statement', () => {
    expect(() => parse('set search_path = public;\ncommit;', 'select 1;', ' transaction:false')).not.toThrow();
  });
});
