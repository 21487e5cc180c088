import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainDatabaseError } from '../../src/db/pg-errors.js';
import { TenantctlError } from '../../src/errors.js';
import { BUILTIN_PROFILES } from '../../src/tenancy/profiles/index.js';
import { resolveConnection } from '../../src/db/config.js';
import { connect } from '../../src/db/connect.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually } from '../monitor/helpers.js';

/**
 * "The tenant registry is missing" is recognised from the profile's own registry, for every
 * profile: a query on a database that lacks it fails with the server's real error, and the
 * explanation names that profile's registry (and only it: another profile's table is just a
 * missing table).
 */
describe('a missing tenant registry is named from the profile', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('pg_errors');
  });
  afterAll(async () => db.drop());

  /** The server's own error for reading `relation` in this (empty) database. */
  const missing = (relation: string): Promise<unknown> => db.sql.unsafe(`select 1 from ${relation}`).then(() => undefined, (error: unknown) => error);

  for (const profile of BUILTIN_PROFILES) {
    it(`${profile.name}: its registry ${profile.registry.schema}.${profile.registry.table} is REGISTRY_MISSING, with what to do`, async () => {
      const { schema, table } = profile.registry;
      for (const relation of [`"${schema}"."${table}"`, `"${table}"`]) {
        const explained = explainDatabaseError(await missing(relation), undefined, [profile.registry]);
        expect(explained).toBeInstanceOf(TenantctlError);
        expect(explained).toMatchObject({ code: 'REGISTRY_MISSING', message: `The tenant registry table ${schema}.${table} is missing in this database.` });
        expect((explained as TenantctlError).hint).toContain('run `tenantctl migrate up` first');
      }
      // Another profile's registry is not this profile's: a table like any other.
      const other = BUILTIN_PROFILES.map((p) => p.registry).find((r) => r.table !== table)!;
      expect(explainDatabaseError(await missing(`"${other.schema}"."${other.table}"`), undefined, [profile.registry])).toMatchObject({ code: 'TABLE_MISSING' });
    });
  }
});

describe('a lock timeout', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pg_lock_timeout');
    await db.sql`create table held (id int)`;
  });
  afterAll(async () => db.drop());

  it('is LOCK_TIMEOUT, saying what it waited for and how to see who holds it', async () => {
    const holder = await db.sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table held in access exclusive mode`;
      const error = await db.sql.begin(async (tx) => {
        await tx`set local lock_timeout = '100ms'`;
        await tx`select * from held`;
      }).then(() => undefined, (e: unknown) => e);
      const explained = explainDatabaseError(error);
      expect(explained).toBeInstanceOf(TenantctlError);
      expect(explained).toMatchObject({ code: 'LOCK_TIMEOUT', message: expect.stringMatching(/Gave up waiting for a lock/), hint: expect.stringMatching(/pg_blocking_pids/) });
    } finally {
      await holder`rollback`;
      holder.release();
    }
  });
});

/**
 * Conditions of the server, not bugs of tenantctl: each is an error that says what happened,
 * where and what to do, never "This was not expected … report it".
 */
describe('server conditions a command can meet', () => {
  let db: TestDatabase;
  let latin1: string;
  beforeAll(async () => {
    db = await createTestDatabase('pg_conditions');
    latin1 = `${db.name}_latin1`;
    await db.sql`create database ${db.sql(latin1)} encoding 'LATIN1' lc_collate 'C' lc_ctype 'C' template template0`;
  });
  afterAll(async () => {
    if (!db) return;
    await db.sql`drop database if exists ${db.sql(latin1)}`;
    await db.drop();
  });

  const failure = (r: { code: number | null; stdout: string; stderr: string }) => {
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/not expected/);
    return JSON.parse(r.stdout).error;
  };

  it('a read-only database (default_transaction_read_only) is READ_ONLY', async () => {
    const r = await runCli(['migrate', 'up', '--json'], { url: db.url, env: { PGOPTIONS: '-c default_transaction_read_only=on' } });
    expect(failure(r)).toMatchObject({ code: 'READ_ONLY', message: expect.stringMatching(/^The database is read-only \(a standby, or default_transaction_read_only\)/), hint: expect.stringMatching(/primary/) });
  });

  it('a setting of the options URL parameter or PGOPTIONS the server refuses at connection is a configuration error (exit 2) naming it', async () => {
    const url = `${db.url}${db.url.includes('?') ? '&' : '?'}options=-c%20statement_timeout%3Dx`;
    const viaUrl = await runCli(['tenant', 'list', '--json'], { url });
    expect(viaUrl.code, viaUrl.stderr).toBe(2);
    expect(viaUrl.stderr).not.toMatch(/not expected/);
    expect(JSON.parse(viaUrl.stdout).error).toMatchObject({ code: 'CONFIG_OPTIONS', message: expect.stringMatching(/options "-c statement_timeout=x": invalid value for parameter "statement_timeout"/), hint: expect.stringMatching(/options URL parameter.*PGOPTIONS/), details: { sqlstate: '22023' } });
    const viaEnv = await runCli(['tenant', 'list'], { url: db.url, env: { PGOPTIONS: '-c no_such.setting_x=1 -c nosuchsetting=1' } });
    expect(viaEnv.code, viaEnv.stderr).toBe(2);
    expect(viaEnv.stderr).toMatch(/hint: Fix or remove the setting in the options URL parameter/);
  });

  it('statement_timeout is STATEMENT_TIMEOUT, saying how to raise it; a cancel is STATEMENT_CANCELED', async () => {
    const victim = await db.sql.reserve();
    try {
      // The timeout runs out inside the statement (pg_sleep), never as one ends: a timeout of a
      // millisecond (as this test once used, through PGOPTIONS on a CLI run) can fire just as a
      // statement finishes, and PostgreSQL then reports the next statement as "canceling
      // statement due to user request" (the timeout's flag went with the finished statement's
      // timer): a cancel, for anyone reading it. Seen once on PostgreSQL 16.
      await victim`set statement_timeout = 50`;
      const timedOut = await victim`select pg_sleep(30)`.then(() => undefined, (e: unknown) => e);
      expect(explainDatabaseError(timedOut)).toMatchObject({ code: 'STATEMENT_TIMEOUT', message: expect.stringMatching(/statement_timeout/), hint: expect.stringMatching(/ALTER ROLE .* SET statement_timeout.*PGOPTIONS='-c statement_timeout=0'/) });
      await victim`reset statement_timeout`;

      const [{ pid }] = await victim`select pg_backend_pid() as pid`;
      const sleeping = victim`select pg_sleep(30)`.then(() => undefined, (e: unknown) => e);
      await eventually(async () => (await db.sql`select 1 from pg_stat_activity where pid = ${pid} and query like '%pg_sleep(30)%'`).length, 'the sleep to start');
      await db.sql`select pg_cancel_backend(${pid}::int)`;
      expect(explainDatabaseError(await sleeping)).toMatchObject({ code: 'STATEMENT_CANCELED', message: expect.stringMatching(/was canceled/) });
    } finally {
      victim.release();
    }
  });

  it('a character the database encoding cannot hold, or a NUL byte, is ENCODING and names the encoding', async () => {
    const other = connect(await resolveConnection({ databaseUrl: db.url.replace(`/${db.name}`, `/${latin1}`), env: {}, cwd: process.cwd() }), { max: 1 });
    try {
      const euro = await other`select ${'price in €'}::text`.then(() => undefined, (e: unknown) => e);
      expect(explainDatabaseError(euro)).toMatchObject({ code: 'ENCODING', message: expect.stringMatching(/database encoding LATIN1 .*cannot store/), hint: expect.stringMatching(/UTF8/) });
    } finally {
      await other.end({ timeout: 5 });
    }
    const nul = await db.sql`select ${'a\u0000b'}::text`.then(() => undefined, (e: unknown) => e);
    expect(explainDatabaseError(nul)).toMatchObject({ code: 'ENCODING', message: expect.stringMatching(/not valid UTF8/), hint: expect.stringMatching(/NUL/) });
  });

  it('bytes a SQL_ASCII database holds that are no UTF-8 are ENCODING, with a hint about the stored value, not only the input', async () => {
    const ascii = `${db.name}_ascii`;
    await db.sql`create database ${db.sql(ascii)} encoding 'SQL_ASCII' lc_collate 'C' lc_ctype 'C' template template0`;
    const other = connect(await resolveConnection({ databaseUrl: db.url.replace(`/${db.name}`, `/${ascii}`), env: {}, cwd: process.cwd() }), { max: 1 });
    try {
      // A Latin-1 'é' (0xE9) as an application writing Latin-1 into SQL_ASCII stores it; reading it
      // through a function that checks its text (JSON, lower()) fails.
      const stored = await other`select to_jsonb(convert_from('\\xe9'::bytea, 'SQL_ASCII')) as name`.then(() => undefined, (e: unknown) => e);
      expect(explainDatabaseError(stored)).toMatchObject({ code: 'ENCODING', hint: expect.stringMatching(/SQL_ASCII database stores any bytes unchecked/) });
    } finally {
      await other.end({ timeout: 5 });
      await db.sql`drop database if exists ${db.sql(ascii)}`;
    }
  });

  // A Citus coordinator reports a worker it cannot reach as its own 08006, in an ordinary statement.
  it("a coordinator's 08006 about a remote node names the worker, not the connection tenantctl made", async () => {
    const raised = await db.sql.unsafe(`do $$ begin raise exception using errcode = '08006', message = e'connection to the remote node postgres@127.0.0.1:57602 failed with the following error: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?'; end $$`).then(() => undefined, (e: unknown) => e);
    const explained = explainDatabaseError(raised) as TenantctlError;
    expect(explained).toMatchObject({ code: 'WORKER_UNAVAILABLE', message: expect.stringMatching(/^The Citus coordinator \(this database\) could not reach its worker 127\.0\.0\.1:57602: connection to the remote node .* Connection refused Is the server running on that host and accepting TCP\/IP connections\?$/) });
    expect(explained.message).not.toMatch(/\?\.$|The connection to/);
    const size = await db.sql.unsafe(`do $$ begin raise exception using errcode = '08006', message = 'could not connect to 127.0.0.1:57602 to get size of relation "users"'; end $$`).then(() => undefined, (e: unknown) => e);
    expect(explainDatabaseError(size)).toMatchObject({ code: 'WORKER_UNAVAILABLE', message: expect.stringMatching(/could not reach its worker 127\.0\.0\.1:57602: could not connect/) });
    // Any other connection failure still ends in one stop.
    const plain = await db.sql.unsafe(`do $$ begin raise exception using errcode = '08006', message = 'server closed the connection unexpectedly?'; end $$`).then(() => undefined, (e: unknown) => e);
    expect((explainDatabaseError(plain) as TenantctlError).message).toBe('The connection to this database failed: server closed the connection unexpectedly?');
  });

  // The server's 57P01 arrives as postgres.js's CONNECTION_CLOSED when a statement is running.
  it('a session the server terminates (57P01) is CONNECTION_LOST', async () => {
    const victim = await db.sql.reserve();
    try {
      const [{ pid }] = await victim`select pg_backend_pid() as pid`;
      const sleeping = victim`select pg_sleep(30)`.then(() => undefined, (e: unknown) => e);
      await eventually(async () => (await db.sql`select 1 from pg_stat_activity where pid = ${pid} and query like '%pg_sleep(30)%'`).length, 'the sleep to start');
      await db.sql`select pg_terminate_backend(${pid}::int)`;
      expect(explainDatabaseError(await sleeping)).toMatchObject({ code: 'CONNECTION_LOST', message: expect.stringMatching(/closed the connection to this database while a statement ran/), hint: expect.stringMatching(/rolled back/) });
    } finally {
      victim.release();
    }
  });
});
