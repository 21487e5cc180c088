import { Command, CommanderError, Help } from 'commander';
import { GROUP_OUTLINE } from './commands/outline.js';
import { processIo, type Io } from './context.js';
import { isConnectionVar, readDotenv } from './db/dotenv.js';
import { EXIT, TenantctlError } from './errors.js';
import { GROUPS } from './groups.js';
import { writeErr, writeJson } from './output/emit.js';
import { redact } from './output/redact.js';
import { style } from './output/style.js';
import { groupIndex, groupNamed, subcommandNamed } from './route.js';

export { groupNamed, subcommandNamed } from './route.js';

const EXAMPLES = `
Examples:
  tenantctl demo                              the whole tool in one command, on the embedded PostgreSQL
  tenantctl db start                          start the embedded PostgreSQL (no install needed)
  tenantctl migrate up                        shared schema first, then every tenant schema
  tenantctl migrate status --json             where every tenant stands
  tenantctl import products p.csv --tenant acme   load a CSV in one transaction (export writes one back)
  tenantctl backup create && tenantctl backup verify backups/<name>   dump, then prove it restorable
  tenantctl monitor check                     health checks, Nagios exit codes (0/1/2/3)
  tenantctl tenant create acme --name Acme --plan starter --owner-email a@acme.test
  tenantctl fixtures generate --tenants 3 --products 50 --orders 200   deterministic sample data
  tenantctl maintain --dry-run                retention, partitions, matviews, analyze (for cron)
`;

/** Stand-ins for every group, named and described as the real ones, for help, --version and unknown commands. */
function registerOutline(program: Command): void {
  for (const [name, { description }] of Object.entries(GROUP_OUTLINE)) program.command(name).description(description);
  const standard = new Help();
  program.configureHelp({ subcommandTerm: (command) => GROUP_OUTLINE[command.name()]?.term ?? standard.subcommandTerm(command) });
}

/**
 * Build the commander program with the named command group registered (with `subcommand`,
 * as much of it as that subcommand needs); without one, the outline of every group, or
 * (`all`) every group loaded, which only tests need.
 */
export async function buildProgram(io: Io, group?: string, all = false, subcommand?: string): Promise<Command> {
  // The group's modules load (file reads) while the root program is built.
  const names = group ? [group] : all ? Object.keys(GROUP_OUTLINE) : [];
  const loading = Promise.all(names.map((name) => {
    const load = GROUPS[name];
    // A bundle file holds one group (scripts/bundle.mjs); bin/tenantctl.js chose it with route.ts.
    if (!load) throw new Error(`the command group ${name} is not in this bundle file`);
    return load();
  }));
  const program = new Command('tenantctl')
    .description('Run a multi-tenant PostgreSQL SaaS database: migrations across every tenant schema, tenants, GDPR erasure, CSV, backups, monitoring, fixtures, maintenance.')
    .version('0.1.0', '-V, --version')
    .option('--database-url <url>', 'PostgreSQL URL (else DATABASE_URL, else PG* variables, else .env, else the embedded database)')
    .option('--profile <name>', 'tenancy profile: commerce, imsop, abparts, prometric (else TENANTCTL_PROFILE, else what the database recorded at its first migrate up, else commerce)')
    .option('--json', 'print one JSON document on stdout')
    .option('--debug', 'log SQL and show stack traces')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => writeErr(io, s) })
    .exitOverride()
    .addHelpText('after', EXAMPLES);
  if (!group && !all) registerOutline(program);
  const registers = await loading;
  for (const register of registers) register(program, io, subcommand);
  // A typo in a subcommand (`tenant lst`) gets commander's suggestion and where the usage is, not the whole help.
  for (const command of program.commands) command.exitOverride().showHelpAfterError(`(run \`tenantctl ${command.name()} --help\` for its commands)`);
  missingCommandIsUsage(io, program);
  return program;
}

/** `tenantctl tenant pool` for that command. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * A group named without its command (`tenantctl migrate`, `tenant pool`), no command at all,
 * or `help <unknown>`: commander shows the help on stderr and ends as if help had been asked
 * for (exit 0, nothing on stdout), so a script cannot tell. The command line is wrong: a
 * usage error (exit 2; under --json its document) saying so, the help still on stderr.
 * `--help` and `help <command>` stay exit 0.
 */
function missingCommandIsUsage(io: Io, group: Command): void {
  group.exitOverride((error) => {
    if (error.code !== 'commander.help' || error.exitCode === 0) throw error;
    const [first, second] = group.args;
    const message = first === 'help' && second !== undefined ? `unknown command '${second}'` : `${commandPath(group)} needs a command (see the list above)`;
    writeErr(io, `error: ${message}`);
    throw new CommanderError(EXIT.usage, 'tenantctl.missingCommand', `error: ${message}`);
  });
  for (const command of group.commands) if (command.commands.length) missingCommandIsUsage(io, command);
}

async function report(io: Io, error: unknown, json: boolean, debug: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    // commander already printed its message (and help where asked for).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    // commander's own code is 1; a command that sets another (monitor check: Nagios UNKNOWN) keeps it.
    const code = error.exitCode > 1 ? error.exitCode : EXIT.usage;
    // A script that asked for --json gets one JSON document even when the command line was wrong.
    if (json) writeJson(io, { ok: false, error: { code: 'USAGE', message: redact(error.message.replace(/^error: /, '')), hint: 'Run with --help for usage.', details: { commander: error.code } } });
    return code;
  }
  // Loaded only on failure: they pull in the database modules, which `--help` does not need.
  const [{ explainDatabaseError }, { explainFileError }] = await Promise.all([import('./db/pg-errors.js'), import('./files/fs-errors.js')]);
  const explained = explainFileError(explainDatabaseError(error));
  const known = explained instanceof TenantctlError ? explained : undefined;
  const unexpected = { code: 'INTERNAL', message: String((error as Error)?.message ?? error), hint: 'This was not expected: run again with --debug to see where it happened, and report it with that output.' };
  if (json) writeJson(io, { ok: false, error: known ? known.toJSON() : unexpected });
  writeErr(io, `${style(io, 'red', 'error:')} ${known ? known.message : unexpected.message}`);
  const hint = known ? known.hint : unexpected.hint;
  if (hint) writeErr(io, `${style(io, 'dim', 'hint:')} ${hint}`);
  // The stack only under --debug: for people, the message and the hint say what to do.
  if (debug) writeErr(io, (error as Error)?.stack ?? '');
  return known?.exitCode ?? EXIT.failed;
}

/**
 * Fill gaps in the environment from the working folder's `.env` (existing variables win),
 * except the connection settings: those are one source of their own, used whole and only
 * when the environment has none (resolveConnection), never mixed with the operator's.
 */
function loadDotenv(io: Io): void {
  const dotenv = readDotenv(io.cwd);
  for (const [name, value] of Object.entries(dotenv?.vars ?? {})) {
    if (!isConnectionVar(name) && io.env[name] === undefined) io.env[name] = value;
  }
}

/**
 * A process stopping at once on a signal (graceful-stop.ts) says why and exits by itself: wait
 * for that, saying nothing. Only once a command ran (`ran`: the interrupt notice, which loaded
 * graceful-stop, is installed); --version and --help load no command module.
 */
async function untilStoppedAtOnce(ran: boolean): Promise<void> {
  if (ran && (await import('./commands/graceful-stop.js')).stoppingAtOnce()) await new Promise<never>(() => undefined);
}

/**
 * `help tenant nosuch`: commander shows the help of `tenant` (exit 0) and ignores the rest, so a
 * script cannot tell that the topic does not exist. The first word after `help <group>` that
 * names no command there, or undefined (the whole group registers for `help <group>`).
 */
function unknownHelpTopic(program: Command, argv: readonly string[]): string | undefined {
  const at = groupIndex(argv);
  if (at < 0 || argv[at - 1] !== 'help') return undefined;
  let command = program.commands.find((c) => c.name() === argv[at]);
  for (const word of argv.slice(at + 1)) {
    if (word.startsWith('-') || !command) return undefined;
    command = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!command) return word;
  }
  return undefined;
}

/** Run the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  loadDotenv(io);
  const program = await buildProgram(io, groupNamed(argv), false, subcommandNamed(argv));
  // Loaded when a command runs (its check needs the commands' shared module, which --version does not).
  program.hook('preAction', async (_root, action) => (await import('./commands/command-line-checks.js')).refuseCommandLine(action, argv));
  let quiet: (() => void) | undefined;
  program.hook('preAction', async () => {
    quiet = (await import('./commands/interrupt-notice.js')).noticeOnInterrupt(io, argv.includes('--json'));
  });
  try {
    const unknown = unknownHelpTopic(program, argv);
    if (unknown !== undefined) {
      writeErr(io, `error: unknown command '${unknown}'`);
      throw new CommanderError(EXIT.usage, 'tenantctl.unknownHelpTopic', `error: unknown command '${unknown}'`);
    }
    await program.parseAsync(argv);
    await untilStoppedAtOnce(quiet !== undefined);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    // The failure of a statement cancelled by a stop on a signal is not the command's to report.
    await untilStoppedAtOnce(quiet !== undefined);
    const wantsJson = argv.includes('--json');
    return await report(io, error, wantsJson, argv.includes('--debug'));
  } finally {
    quiet?.();
  }
}
