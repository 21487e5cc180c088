import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually, expectPrometheus } from './helpers.js';

describe('monitor activity and monitor check', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('chk');
  });
  afterAll(async () => db?.drop());

  it('check exits 0 and prints one OK line when nothing is wrong', async () => {
    const r = await runCli(['monitor', 'check', '--skip', 'blocked,long-queries,idle-in-transaction'], { url: db.url });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^OK: 13 check\(s\) passed \| connections=[\d.]+%;@80:;@95:;0;100 wraparound=[\d.]+%;@50:;@75:;0;100 /);
    // A check with nothing to judge is U (undetermined), and low-is-bad ratios use the range form.
    expect(lines[0]).toMatch(/ cache-hit=(U|[\d.]+%);@~:90;@~:80;0;100 /);
    expect(lines[0]).toMatch(/ replication-lag=U;@1073741824:;@10737418240:;0; /);
    // citus-nodes and node-skew have nothing to judge off Citus.
    expect(lines[0]).toMatch(/ citus-nodes=U;;@1:;0; /);
    expect(lines[0]).toMatch(/ node-skew=U;@60:;@80:;0;100/);
    // The never-vacuumed check looks at tables of 1,000+ rows only, and its OK says so.
    const verbose = await runCli(['monitor', 'check', '--only', 'never-vacuumed', '--verbose'], { url: db.url });
    expect(verbose.stdout).toContain('OK never-vacuumed: every table of 1,000+ rows has been vacuumed or analyzed (smaller tables are not checked)');
  });

  it('check exits 1 (WARNING) for an integer column whose bigint sequence is 93% used', async () => {
    await db.sql`create sequence order_numbers as bigint`;
    await db.sql`create table orders (number int default nextval('order_numbers'))`;
    await db.sql`alter sequence order_numbers owned by orders.number`;
    await db.sql`select setval('order_numbers', 2000000000)`;
    const r = await runCli(['monitor', 'check', '--only', 'sequences'], { url: db.url });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^WARNING sequences: sequence public\.order_numbers is 93\.13% used .*limited by column orders\.number\) \(warning 85%, critical 95%\)$/m);
    const seq = JSON.parse((await runCli(['monitor', 'sequences', '--json'], { url: db.url })).stdout);
    expect(seq.sequences[0]).toMatchObject({ sequence: 'order_numbers', limit: '2147483647', limitFrom: 'column', lastValue: '2000000000' });
  });

  it('check exits 2 (CRITICAL) for a smallint sequence at 98%, with a threshold from a config file', async () => {
    await db.sql`create sequence ticket_numbers as smallint`;
    await db.sql`select setval('ticket_numbers', 32000)`;
    const r = await runCli(['monitor', 'check', '--only', 'sequences', '--json'], { url: db.url });
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ status: 'CRITICAL', exitCode: 2 });
    expect(report.problems[0]).toMatchObject({ name: 'sequences', status: 'CRITICAL', value: 97.65 });
    const dir = await mkdtemp(join(tmpdir(), 'tenantctl-check-'));
    await writeFile(join(dir, 'check.json'), JSON.stringify({ sequences: { warning: '99%', critical: '99.5%' } }));
    const relaxed = await runCli(['monitor', 'check', '--only', 'sequences', '--config', join(dir, 'check.json')], { url: db.url });
    expect(relaxed.code, relaxed.stdout).toBe(0);
    const prom = await runCli(['monitor', 'check', '--only', 'sequences,connections', '--prometheus'], { url: db.url });
    expect(prom.code).toBe(2);
    expectPrometheus(prom.stdout);
    expect(prom.stdout).toMatch(/^tenantctl_check_status\{check="sequences"\} 2$/m);
  });

  it('puts the worst state on the first line, groups a finding repeated across schemas, and finds never-vacuumed tables', async () => {
    for (const schema of ['tenant_a', 'tenant_b']) {
      await db.sql`create schema ${db.sql(schema)}`;
      await db.sql`create table ${db.sql(schema)}.orders (id int primary key, total int)`;
      await db.sql`alter table ${db.sql(schema)}.orders add constraint orders_total_positive check (total > 0) not valid`;
    }
    await db.sql`create table big_unvacuumed (id int) with (autovacuum_enabled = false)`;
    await db.sql`insert into big_unvacuumed select generate_series(1, 1500)`;
    await eventually(async () => (await db.sql`select n_live_tup from pg_stat_user_tables where relname = 'big_unvacuumed'`)[0]?.n_live_tup >= 1500, 'the statistics to show the rows');

    // connections runs first but only warns; the CRITICAL constraint finding must lead.
    const r = await runCli(['monitor', 'check', '--only', 'connections,not-valid-constraints,never-vacuumed', '--warning', 'connections=0%', '--critical', 'not-valid-constraints=2'], { url: db.url });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CRITICAL: not-valid-constraints: 2 constraint\(s\) never validated: orders\.orders_total_positive in 2 schemas \(tenant_a, tenant_b\) \(warning 1, critical 2\); 2 more problem\(s\) below \| connections=[\d.]+%;@0:;@95:;0;100 not-valid-constraints=2;@1:;@2:;0; never-vacuumed=1;@1:;;0;$/);
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual(['CRITICAL not-valid-constraints', 'WARNING connections', 'WARNING never-vacuumed']);
    expect(lines[3]).toMatch(/1 table\(s\) never vacuumed nor analyzed \(autovacuum off or starved\?\): public\.big_unvacuumed \(warning 1, critical off\)$/);

    await db.sql`analyze big_unvacuumed`;
    for (const schema of ['tenant_a', 'tenant_b']) await db.sql`alter table ${db.sql(schema)}.orders validate constraint orders_total_positive`;
    await eventually(async () => (await db.sql`select last_analyze from pg_stat_user_tables where relname = 'big_unvacuumed'`)[0]?.last_analyze !== null, 'the analyze to be recorded');
    const clean = await runCli(['monitor', 'check', '--only', 'not-valid-constraints,never-vacuumed'], { url: db.url });
    expect(clean.code, clean.stdout).toBe(0);
  });

  it('check exits 3 (UNKNOWN) when the database cannot be reached or a threshold is wrong', async () => {
    const down = await runCli(['monitor', 'check', '--database-url', 'postgresql://nobody@127.0.0.1:1/nothing'], {});
    expect(down.code).toBe(3);
    expect(down.stdout).toMatch(/^UNKNOWN monitor: Cannot connect to .*127\.0\.0\.1:1/m);
    const json = await runCli(['monitor', 'check', '--json', '--database-url', 'postgresql://nobody@127.0.0.1:1/nothing'], {});
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'UNKNOWN', exitCode: 3 });
    const bad = await runCli(['monitor', 'check', '--warning', 'connections=10 GB'], { url: db.url });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toMatch(/--warning connections: "10 GB" is not a valid threshold/);
    // A mistyped option must not page anyone as CRITICAL (2): it is UNKNOWN too.
    const typo = await runCli(['monitor', 'check', '--warnign', 'connections=50%'], { url: db.url });
    expect(typo.code).toBe(3);
    expect(typo.stderr).toMatch(/unknown option '--warnign'/);
    // …with its status line on stdout, where Nagios reads it.
    expect(typo.stdout.split('\n')[0]).toBe("UNKNOWN: unknown option '--warnign'");
    const other = await runCli(['monitor', 'indexes', '--warnign'], { url: db.url });
    expect(other.code).toBe(2);
  });

  it('a --lock-timeout that is no duration is a usage error (2; UNKNOWN for check), checked as migrate checks it', async () => {
    for (const command of ['connections', 'activity', 'indexes', 'table-sizes']) {
      const r = await runCli(['monitor', command, '--lock-timeout', 'abc'], { url: db.url });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('--lock-timeout must be a duration such as 500ms, 5s or 1min (got "abc")');
      expect(r.stderr).not.toMatch(/not expected|lock_timeout/);
    }
    const check = await runCli(['monitor', 'check', '--lock-timeout', 'abc'], { url: db.url });
    expect(check.code).toBe(3);
    expect(check.stdout.split('\n')[0]).toMatch(/^UNKNOWN: .*--lock-timeout must be a duration such as 500ms, 5s or 1min \(got "abc"\)/);
    // A good one still reaches the session.
    const ok = await runCli(['monitor', 'connections', '--lock-timeout', '750ms', '--json'], { url: db.url });
    expect(ok.code, ok.stderr).toBe(0);
  });
});

