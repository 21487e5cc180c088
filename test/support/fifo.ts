import { spawn } from 'node:child_process';

/**
 * Read a FIFO in another process (as `gzip <pipe` would) until its writer closes it; what
 * was read, or undefined when no writer came within `ms` (the reader is then killed, so a
 * test of a writer that never opens the FIFO fails instead of hanging).
 */
export function readFifo(path: string, ms = 10_000): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const reader = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    reader.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => reader.kill(), ms);
    reader.on('error', reject);
    reader.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? out : undefined);
    });
  });
}
