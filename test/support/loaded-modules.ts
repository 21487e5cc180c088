import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli, type CliResult } from './cli.js';

/**
 * A module-loader hook (node --import) that lists every file a process loads: one line
 * `tenantctl-loaded <url>` on stderr each, written synchronously. A command group's bundle is
 * not loaded as a module but read and run as a script (src/bundle-loader.ts): the hook also
 * lists the .cjs files of dist/bundle that fs.readFileSync reads. Written once per test process into a temp folder.
 */
function hookFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantctl-loaded-'));
  // The hooks run on a thread of their own, whose process.stderr hands its writes to the main
  // thread later: a command that exits at once (`--help`) could end before a line arrived. A
  // write(2) on fd 2 is done when the hook returns, and so before the module it reports loads.
  writeFileSync(join(dir, 'hooks.mjs'), `import { writeSync } from 'node:fs';\nexport async function load(url, context, next) {\n  if (url.startsWith('file:')) writeSync(2, 'tenantctl-loaded ' + url + '\\n');\n  return next(url, context);\n}\n`);
  writeFileSync(
    join(dir, 'register.mjs'),
    [
      "import fs from 'node:fs';",
      "import { register, syncBuiltinESMExports } from 'node:module';",
      "import { pathToFileURL } from 'node:url';",
      `register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`,
      'const read = fs.readFileSync;',
      "fs.readFileSync = function (path, ...rest) {",
      "  if (typeof path === 'string' && /[\\\\/]dist[\\\\/]bundle[\\\\/][^\\\\/]+\\.cjs$/.test(path)) process.stderr.write('tenantctl-loaded ' + pathToFileURL(path).href + '\\n');",
      '  return read.call(this, path, ...rest);',
      '};',
      'syncBuiltinESMExports();',
      '',
    ].join('\n'),
  );
  return join(dir, 'register.mjs');
}
let hook: string | undefined;

/** The source files behind the bundle chunks a run loaded (from each chunk's source map), plus any file loaded outside the bundle. */
function sourcesOf(stderr: string): string[] {
  const sources = new Set<string>();
  for (const [, url] of stderr.matchAll(/^tenantctl-loaded (\S+)$/gm)) {
    const file = fileURLToPath(url!);
    if (!file.includes('/dist/bundle/')) {
      sources.add(file.replace(/.*\/node_modules\//, 'node_modules/'));
      continue;
    }
    const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
    for (const source of map.sources) sources.add(source.replace(/^(\.\.\/)+/, '').replace(/.*\/?node_modules\//, 'node_modules/'));
  }
  return [...sources].sort();
}

/** The files of dist/bundle a run loaded (names only), in the order it loaded them. */
function bundleFilesOf(stderr: string): string[] {
  const files = [...stderr.matchAll(/^tenantctl-loaded (\S+)$/gm)].map(([, url]) => fileURLToPath(url!)).filter((f) => f.includes('/dist/bundle/'));
  return [...new Set(files.map((f) => f.replace(/.*\/dist\/bundle\//, '')))];
}

/** Run the built CLI (as runCli) and say which source modules it loaded (`loaded`), from which files of the bundle (`files`). */
export async function runCliLoading(args: string[], options: Parameters<typeof runCli>[1] = {}): Promise<CliResult & { loaded: string[]; files: string[] }> {
  hook ??= hookFile();
  const result = await runCli(args, { ...options, env: { ...options.env, NODE_OPTIONS: `--import ${hook}` } });
  return { ...result, loaded: sourcesOf(result.stderr), files: bundleFilesOf(result.stderr) };
}
