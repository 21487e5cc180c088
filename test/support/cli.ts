import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/tenantctl.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI as a user would (a real process, no TTY, CI=true), against the given
 * database URL. `npm test` builds first, so bin/ runs the current code.
 */
export function runCli(args: string[], options: { url?: string; env?: NodeJS.ProcessEnv; input?: string; cwd?: string; /** an open file for stdout, as a shell's `>` gives */ stdoutFd?: number; /** run as this user (the suite must run as root) */ as?: { uid: number; gid: number } } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', NO_COLOR: '1', TENANTCTL_HOME: '/nonexistent-tenantctl-home', ...options.env };
    if (options.url) env.DATABASE_URL = options.url;
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: options.cwd ?? process.cwd(), stdio: ['pipe', options.stdoutFd ?? 'pipe', 'pipe'], ...options.as });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Start the CLI and hand back the child, for kill-mid-run tests. */
export function spawnCli(args: string[], options: { url: string; env?: NodeJS.ProcessEnv }) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', NO_COLOR: '1', DATABASE_URL: options.url, ...options.env };
  return spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}
