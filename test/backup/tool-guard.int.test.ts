import { describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

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

  it('passes SIGTERM on to the program\'s process group and exits with its status', async () => {
    const marker = String(1600 + Math.floor(Math.random() * 1000));
    const guard = spawn(process.execPath, [GUARD, 'sleep', marker], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => guard.on('close', (code) => resolve(code)));
    await until(async () => (await sleepers(marker)).length === 1);
    guard.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await sleepers(marker)).toEqual([]);
  });
});
