import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/db/queries.js';

/**
 * Issue 14: no SQL, domain or message names the commerce registry; the commerce profile's
 * own definition is the one place that does. Everything else renders `{{registry}}` from
 * the resolved profile (src/db/queries.ts) or reads `profile.registry`.
 */
const SRC = join(PACKAGE_ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

const naming = (pattern: RegExp, paths: string[]): string[] =>
  paths.flatMap((path) => readFileSync(path, 'utf8').split('\n').flatMap((line, i) => (pattern.test(line) ? [`${relative(PACKAGE_ROOT, path)}:${i + 1}: ${line.trim()}`] : [])));

describe('the commerce registry is named only by the commerce profile', () => {
  it('no source or SQL file outside the commerce profile names public.tenants', () => {
    const sources = files(SRC).filter((p) => /\.(ts|sql)$/.test(p) && !relative(SRC, p).startsWith(join('tenancy', 'profiles', 'commerce')));
    expect(naming(/public\.tenants\b/, sources)).toEqual([]);
  });

  it("backup SQL reads the registry's companion tables from the profile, not commerce's by name", () => {
    const backup = files(join(SRC, 'sql', 'backup'));
    expect(naming(/\b(subscriptions|tenant_features|audit_logs)\b/, backup).filter((l) => !/^\S+:\d+: --/.test(l))).toEqual([]);
  });
});
