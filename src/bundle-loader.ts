import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

/**
 * Running a command group's bundle file (dist/bundle/group-<name>.cjs, scripts/bundle.mjs) with
 * V8's code cache. Compiling the ~0.7 MB file, and then each function a command calls, cost
 * ~25 ms of every command; with the code an earlier run compiled, V8 skips most of it
 * (BENCHMARKS.md). Node 20 has neither module.enableCompileCache (22.1) nor a code cache for ES
 * modules, so the groups are CommonJS bundles run through vm.Script, which takes and makes one.
 * Where the cache lives (cached code is code, so only where the code's owner alone can write):
 * - beside the bundle, in .v8-cache: whoever can write there can change the bundle itself;
 * - else in the user's cache directory ($XDG_CACHE_HOME or ~/.cache, then tenantctl/v8);
 * a directory that someone else owns, or that others may write, is not used.
 * The file's name holds the bundle's size and modification time and node's version and
 * architecture: V8 checks only a source's length, and would take the code of another build of
 * the same length. TENANTCTL_CODE_CACHE=off runs without it. Nothing here ever fails a command:
 * a cache that cannot be read or written is simply not used.
 */

/** What a group's bundle exports: the CLI's entry point (src/cli.ts). */
export interface GroupBundle {
  main(argv: string[]): Promise<number>;
}

/** How the cache served a load: none found, taken by V8, or refused (stale: written again). */
export type CacheUse = 'none' | 'accepted' | 'rejected' | 'off';

/** The directories a cache for `file` may live in, in order. */
function cacheDirectories(file: string, env: NodeJS.ProcessEnv): string[] {
  if (env.TENANTCTL_CODE_CACHE === 'off') return [];
  const userCache = env.XDG_CACHE_HOME || join(env.HOME ?? homedir(), '.cache');
  return [join(dirname(file), '.v8-cache'), join(userCache, 'tenantctl', 'v8')];
}

/** A directory this user owns and no one else may write (on Windows, where modes mean nothing: any). */
function safeDirectory(dir: string): boolean {
  try {
    const stat = statSync(dir);
    if (!stat.isDirectory()) return false;
    return process.getuid === undefined || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0);
  } catch {
    return false;
  }
}

/** The cached data for `name` in the first safe directory that has it. */
function readCache(dirs: string[], name: string): Buffer | undefined {
  for (const dir of dirs) {
    if (!safeDirectory(dir)) continue;
    try {
      return readFileSync(join(dir, name));
    } catch {
      // not here: the next directory
    }
  }
  return undefined;
}

/** Write `data` as `name` in the first directory that can take it (made private), replacing older caches of the same bundle. */
function writeCache(dirs: string[], name: string, stem: string, data: Buffer): void {
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!safeDirectory(dir)) continue;
      // Written aside, then renamed: a run reading at the same moment sees all of it or none.
      const aside = join(dir, `${name}.${process.pid}.tmp`);
      writeFileSync(aside, data, { mode: 0o600 });
      renameSync(aside, join(dir, name));
      for (const old of readdirSync(dir)) if (old.startsWith(stem) && old !== name && !old.endsWith('.tmp')) rmSync(join(dir, old), { force: true });
      return;
    } catch {
      // read-only or full: the next directory
    }
  }
}

/** A group's bundle, run: its exports, how the cache served it, and what keeps the cache for the next run. */
export interface LoadedGroup {
  bundle: GroupBundle;
  cache: CacheUse;
  /**
   * Keep the code V8 has compiled for the bundle so far for the next run: call it as the process
   * exits (bin/tenantctl.js), when what the command called is compiled too. Does nothing when the
   * cache the run started from was taken, or is off.
   */
  keepCache(): void;
}

/** Run the CommonJS bundle `file` with the cache of an earlier run, if there is one. */
export function loadGroupBundle(file: string, env: NodeJS.ProcessEnv = process.env): LoadedGroup {
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const stem = `${basename(file)}-`;
  const name = `${stem}${size}-${Math.trunc(mtimeMs)}-${process.version}-${process.arch}.v8`;
  const dirs = cacheDirectories(file, env);
  const cachedData = readCache(dirs, name);
  // import() in a script compiled from cached data finds no callback in Node 20: the bundle calls
  // __tenantctlImport instead (scripts/bundle.mjs), this module's import(), which resolves from the
  // same folder.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __tenantctlImport) {${source}\n})`, { filename: file, cachedData });
  const cache: CacheUse = dirs.length === 0 ? 'off' : !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} as GroupBundle };
  const importFrom = (specifier: string): Promise<unknown> => import(specifier);
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file), importFrom);
  const keepCache = (): void => {
    if (cache !== 'none' && cache !== 'rejected') return;
    try {
      writeCache(dirs, name, stem, script.createCachedData());
    } catch {
      // V8 could not serialise the code: the next run compiles, as without a cache
    }
  };
  return { bundle: module.exports, cache, keepCache };
}
