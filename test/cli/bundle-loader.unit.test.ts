import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGroupBundle } from '../../src/bundle-loader.js';

// src/bundle-loader.ts: a group's CommonJS bundle run with V8's code cache, kept beside the
// bundle or in the user's cache directory, never where others could plant code.

/** A bundle-like CommonJS file in a fresh folder, and a HOME of its own. */
function bundleAt(source = 'exports.main = async (argv) => argv.length;\n') {
  const root = mkdtempSync(join(tmpdir(), 'tenantctl-loader-'));
  const file = join(root, 'bundle', 'group-x.cjs');
  mkdirSync(join(root, 'bundle'));
  writeFileSync(file, source);
  return { file, env: { HOME: join(root, 'home') } as NodeJS.ProcessEnv, local: join(root, 'bundle', '.v8-cache'), user: join(root, 'home', '.cache', 'tenantctl', 'v8') };
}

describe('a group bundle run with the code cache', () => {
  it('the first run keeps the cache beside the bundle, privately; the next one takes it and runs the same code', async () => {
    const { file, env, local } = bundleAt();
    const first = loadGroupBundle(file, env);
    expect(first.cache).toBe('none');
    expect(await first.bundle.main(['a', 'b'])).toBe(2);
    first.keepCache();
    const [cached] = readdirSync(local);
    expect(cached).toMatch(/^group-x\.cjs-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8$/);
    expect(statSync(local).mode & 0o777).toBe(0o700);
    expect(statSync(join(local, cached!)).mode & 0o777).toBe(0o600);
    const second = loadGroupBundle(file, env);
    expect(second.cache).toBe('accepted');
    expect(await second.bundle.main(['a', 'b', 'c'])).toBe(3);
  });

  it('a changed bundle does not take the old code: a new cache replaces it', async () => {
    const { file, env, local } = bundleAt();
    loadGroupBundle(file, env).keepCache();
    const [before] = readdirSync(local);
    // Another build: different code (and length), so a different cache.
    writeFileSync(file, 'exports.main = async () => 42;\n');
    const changed = loadGroupBundle(file, env);
    expect(changed.cache).toBe('none');
    expect(await changed.bundle.main([])).toBe(42);
    changed.keepCache();
    const after = readdirSync(local);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
  });

  it('a cache folder others may write is never read or written: the user\'s own cache is used', () => {
    const { file, env, local, user } = bundleAt();
    mkdirSync(local);
    chmodSync(local, 0o777);
    const run = loadGroupBundle(file, env);
    run.keepCache();
    expect(readdirSync(local)).toEqual([]);
    expect(readdirSync(user)).toHaveLength(1);
    expect(loadGroupBundle(file, env).cache).toBe('accepted');
    expect(readdirSync(local)).toEqual([]);
  });

  it('TENANTCTL_CODE_CACHE=off runs the bundle and keeps nothing', async () => {
    const { file, env, local, user } = bundleAt();
    const run = loadGroupBundle(file, { ...env, TENANTCTL_CODE_CACHE: 'off' });
    expect(run.cache).toBe('off');
    expect(await run.bundle.main(['x'])).toBe(1);
    run.keepCache();
    expect(existsSync(local) || existsSync(user)).toBe(false);
  });
});
