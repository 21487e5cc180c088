// The trivial connected command that `tenant create` is measured against (bench/connected.mjs
// bundles it the way scripts/bundle.mjs bundles a command group, and bench/connected-run.mjs runs
// it the way bin/tenantctl.js runs one, with V8's code cache): tenantctl's own start-up pieces —
// commander with the global options, the process Io, withDatabase (connection settings from
// the URL/.env/pgpass, the same postgres.js pool options, errors explained, pool closed) —
// running one query and printing its row as JSON.
import { Command } from 'commander';
import { optionsOf, withDatabase } from '../src/commands/shared.js';
import { processIo } from '../src/context.js';
import { emit } from '../src/output/emit.js';

/** What a group's bundle exports (src/bundle-loader.ts's GroupBundle): the exit code. */
export async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const program = new Command('tenantctl')
    .option('--database-url <url>', 'PostgreSQL URL')
    .option('--profile <name>', 'tenancy profile')
    .option('--json', 'print one JSON document on stdout')
    .option('--debug', 'log SQL')
    .exitOverride();
  program.command('select-one').action(async (_o, command: Command) => {
    const options = optionsOf<Record<string, never>>(command);
    await withDatabase(io, options, async (sql) => {
      const [row] = await sql`select 1 as one`;
      emit(io, options, row, (r) => String(r?.one));
    });
  });
  await program.parseAsync(argv);
  return 0;
}
