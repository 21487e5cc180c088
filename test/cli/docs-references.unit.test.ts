import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** A hint that sends the user to a page must send them to one that exists. */
describe('documentation named in messages and help', () => {
  it('every docs/*.md that src/ names exists', () => {
    const named = new Set(sources(join(ROOT, 'src')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/docs\/[\w.-]+\.md/g)].map((m) => m[0])));
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((doc) => !existsSync(join(ROOT, doc)))).toEqual([]);
  });
});
