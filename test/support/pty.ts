import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/tenantctl.js', import.meta.url));
const DRIVER = fileURLToPath(new URL('./pty-driver.py', import.meta.url));

/** One prompt and its answer: when `when` appears on the terminal, type `send` (\r is Enter). */
export interface Answer {
  when: string;
  send: string;
}

/**
 * Run the built CLI on a real pseudo-terminal (python3's pty module), so that stdin and stderr
 * are TTYs and its prompts are live, and type the answers as they are asked for. No CI
 * variable: the CLI behaves as on a person's terminal. Returns what the terminal showed
 * (stdout and stderr together, as a terminal merges them) and the exit code.
 */
export function runCliOnTty(args: string[], answers: Answer[], options: { url: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', TERM: 'xterm', TENANTCTL_HOME: '/nonexistent-tenantctl-home', DATABASE_URL: options.url, ...options.env };
    const child = spawn('python3', [DRIVER, JSON.stringify([process.execPath, BIN, ...args]), JSON.stringify(answers.map((a) => [a.when, a.send]))], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let screen = '';
    let errors = '';
    child.stdout.on('data', (c: Buffer) => (screen += c.toString()));
    child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen: screen + errors }));
  });
}
