import { describe, expect, it } from 'vitest';
import { lineColumn, splitStatements } from '../../src/migrate/split.js';

const texts = (sql: string): string[] => splitStatements(sql).map((s) => s.text);

describe('splitStatements', () => {
  it('splits on semicolons and drops comment-only statements', () => {
    expect(texts('create table a (id int);\n-- just a comment;\n\ninsert into a values (1);\n')).toEqual(['create table a (id int)', 'insert into a values (1)']);
  });

  it('keeps semicolons inside strings, quoted identifiers, E-strings and comments', () => {
    const sql = `insert into t values ('a;b', 'it''s;', E'x\\';y');\nselect "we;ird" from t /* a; /* nested; */ b; */;`;
    expect(texts(sql)).toEqual([`insert into t values ('a;b', 'it''s;', E'x\\';y')`, `select "we;ird" from t /* a; /* nested; */ b; */`]);
  });

  it('keeps dollar-quoted function bodies whole, but treats $1 as a parameter', () => {
    const sql = `create function f() returns int as $body$ begin return 1; end; $body$ language plpgsql;\nselect $1::int; do $$ begin perform 1; end $$;`;
    expect(texts(sql)).toHaveLength(3);
    expect(texts(sql)[0]).toContain('end; $body$ language plpgsql');
  });

  it('keeps BEGIN ATOMIC bodies whole', () => {
    const sql = `create function g(a int) returns int language sql begin atomic select case when a > 0 then 1 else 0 end; select 2; end;\nselect 3;`;
    expect(texts(sql)).toEqual(['create function g(a int) returns int language sql begin atomic select case when a > 0 then 1 else 0 end; select 2; end', 'select 3']);
  });

  it('reports where each statement starts, for file:line:column errors', () => {
    const sql = '-- header\nselect 1;\n\n  select 2;';
    const [first, second] = splitStatements(sql, 100);
    expect(first!.offset).toBe(100 + sql.indexOf('select 1'));
    expect(lineColumn(sql, second!.offset - 100)).toEqual({ line: 4, column: 3 });
  });
});
