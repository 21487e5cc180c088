#!/usr/bin/env node
// Bundle the CLI for start-up speed (issue 19 item 4): a run loads the router, then ONE file
// that holds its command group with everything it needs, dependencies included.
// - dist/bundle/route.js: src/route.ts alone. bin/tenantctl.js asks it which group argv names.
// - dist/bundle/group-<name>.cjs, one per group: src/cli.ts with src/groups.ts replaced by a map
//   of that group only, not split. What the group loads lazily (each subcommand's code) is in
//   the same file, parsed but evaluated only when it runs (esbuild wraps it in an init function).
//   CommonJS, run through dist/bundle/bundle-loader.js (src/bundle-loader.ts) with V8's code cache.
// - dist/bundle/cli.js: src/cli.ts with no group (--version, --help, unknown commands), split,
//   so that what only a failure needs (the error explainers) stays in chunks of its own.
// - dist/bundle/tool-guard.js (the watchdog every pg_dump/pg_restore runs under, a program of
//   its own: src/backup/run-tool.ts) and dist/bundle/generator-thread.js (the fixtures worker
//   thread, src/fixtures/generator-thread.ts): entry points the group files find beside them.
// Why one file per group rather than one chunk per lazily loaded module (esbuild code splitting
// over every group, as before): Node's ESM loader costs ~0.5–0.9 ms per file on this machine's
// kind (resolve, read, compile, link), and splitting 12 groups and ~60 lazy subcommand modules
// made ~170 chunks, of which `tenant create` loaded 57 and `migrate status` 59. A group's file
// parses more code than its command runs (~0.03 ms per KB), which costs far less than the files
// did: `tenant create`, `migrate status` and `tenant list --limit 20` each ~65 ms faster
// (BENCHMARKS.md, "One file per command group").
// Every file sits two levels below the package root, like dist/db/queries.js, so PACKAGE_ROOT
// (SQL files, migrations, fixtures) resolves the same from all of them.
// Usage: node scripts/bundle.mjs (part of `npm run build` and `prepare`).
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions, commonJsBundle, rewriteImports } from './bundle-options.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });

/** src/groups.ts: its map's lines name the groups (nothing is listed twice). */
const groupsSource = readFileSync(`${root}src/groups.ts`, 'utf8');
const GROUP_LINE = /^ {2}(\w+): async \(\) => .*\n/gm;
const groups = [...groupsSource.matchAll(GROUP_LINE)].map((m) => m[1]);
if (groups.length === 0) throw new Error('scripts/bundle.mjs: no group found in src/groups.ts');

/** An esbuild plugin that compiles src/groups.ts with only the groups `names`. */
const onlyGroups = (names) => ({
  name: 'only-groups',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]groups\.ts$/ }, () => ({
      loader: 'ts',
      contents: groupsSource.replace(GROUP_LINE, (line, name) => (names.includes(name) ? line : '')),
    }));
  },
});

const entry = (source, out, plugins = []) => ({ ...bundleOptions(root, outdir, plugins), entryPoints: [{ in: source, out }] });
/** A group's file: src/cli.ts with that group only, as CommonJS run with V8's code cache (commonJsBundle). */
const commonJsGroup = (name) => ({ ...entry('src/cli.ts', `group-${name}`, [onlyGroups([name])]), ...commonJsBundle });
await Promise.all([
  build(entry('src/route.ts', 'route')),
  build(entry('src/bundle-loader.ts', 'bundle-loader')),
  build(entry('src/backup/tool-guard.ts', 'tool-guard')),
  build(entry('src/fixtures/generator-thread.ts', 'generator-thread')),
  build({ ...entry('src/cli.ts', 'cli', [onlyGroups([])]), splitting: true }),
  ...groups.map((name) => build(commonJsGroup(name))),
]);

// import() of the packages kept outside the bundle goes through the loader (rewriteImports).
for (const name of groups) rewriteImports(`${outdir}/group-${name}.cjs`);
