import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findTool } from '../../src/backup/tools.js';
import { libpqEnv, resolveConnection } from '../../src/db/config.js';
import { createTestDatabase } from '../support/db.js';
import { until as bounded } from '../migrate/run-helpers.js';

const execFileAsync = promisify(execFile);
// The built watchdog, as the CLI runs it (npm test builds first).
const GUARD = fileURLToPath(new URL('../../dist/backup/tool-guard.js', import.meta.url));

/** Processes whose command line is `sleep <marker>` (not the guard, whose own line ends the same way). */
async function sleepers(marker: string): Promise<number[]> {
  const { stdout } = await execFileAsync('ps', ['-ww', '-eo', 'pid=,args=']);
  return stdout.split('\n').filter((l) => l.trim().endsWith(`sleep ${marker}`) && !l.includes('tool-guard')).map((l) => Number(l.trim().split(/\s+/)[0]));
}

async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 50));
}

describe('tool-guard: no pg_dump/pg_restore outlives tenantctl', () => {
  it('stops the program when the process that started it is killed with SIGKILL (EOF on its stdin)', async () => {
    const marker = String(600 + Math.floor(Math.random() * 1000));
    // A stand-in for tenantctl: starts the guard as run-tool.ts does, then waits forever.
    const parent = spawn(process.execPath, ['-e', `require('node:child_process').spawn(process.execPath, [${JSON.stringify(GUARD)}, 'sleep', '${marker}'], { stdio: ['pipe', 'inherit', 'inherit'], detached: true }); setInterval(() => {}, 1000);`], { stdio: 'ignore' });
    await until(async () => (await sleepers(marker)).length === 1);
    parent.kill('SIGKILL');
    await until(async () => (await sleepers(marker)).length === 0);
    expect(await sleepers(marker)).toEqual([]);
  });

  it('stops the program\'s process group (with SIGINT) when it gets SIGTERM, and exits with its status', async () => {
    const marker = String(1600 + Math.floor(Math.random() * 1000));
    const guard = spawn(process.execPath, [GUARD, 'sleep', marker], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => guard.on('close', (code) => resolve(code)));
    await until(async () => (await sleepers(marker)).length === 1);
    guard.kill('SIGTERM');
    expect(await exited).toBe(130);
    expect(await sleepers(marker)).toEqual([]);
  });

  // psql dies of SIGTERM without a word to the server, whose backend ran the statement on (a
  // checksum of a large table, holding its lock) until it next wrote to the closed connection.
  it('stops psql so that it cancels its statement on the server first', async () => {
    const db = await createTestDatabase('guard');
    try {
      const config = await resolveConnection({ databaseUrl: db.url, env: {}, cwd: process.cwd() });
      const psql = await findTool('psql', { env: process.env }, { major: 10, why: 'the test' });
      const running = async () => (await db.sql`select pid from pg_stat_activity where pid <> pg_backend_pid() and state = 'active' and query like '%guard_cancel_marker%' and query not like '%pg_stat_activity%'`).length;
      const guard = spawn(process.execPath, [GUARD, psql.path, '-X', '-q', '-c', 'select pg_sleep(300) as guard_cancel_marker'], { env: libpqEnv(config, process.env), stdio: ['pipe', 'ignore', 'ignore'] });
      const exited = new Promise<number | null>((resolve) => guard.on('close', (code) => resolve(code)));
      await until(async () => (await running()) === 1);
      guard.kill('SIGTERM');
      await exited;
      await bounded(async () => (await running()) === 0, 'the statement psql ran to leave pg_stat_activity');
    } finally {
      await db.drop();
    }
  });
});
