import { spawnCli } from '../support/cli.js';

/** Poll until `probe` holds; a loaded machine may take seconds to start a CLI. */
export async function until(probe: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const started = Date.now(); !(await probe()); await new Promise((r) => setTimeout(r, 25))) {
    if (Date.now() - started > 60_000) throw new Error(`timed out waiting for ${what}`);
  }
}

/** A CLI run in the background, its output collected. */
export function background(args: string[], url: string) {
  const child = spawnCli(args, { url });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const code = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, out, code };
}
