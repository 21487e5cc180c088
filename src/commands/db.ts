import type { Command } from 'commander';
import type { Io } from '../context.js';
import { embeddedHome, embeddedRunning, embeddedUrl, readEmbeddedState, startEmbedded, stopEmbedded } from '../db/embedded.js';
import { TenantctlError } from '../errors.js';
import { emit } from '../output/emit.js';
import { formatRecord } from '../output/format.js';
import { optionsOf, positiveInt } from './shared.js';

/** `tenantctl db start|stop|status|url`: the embedded PostgreSQL under .tenantctl/. */
export function registerDb(program: Command, io: Io): void {
  const db = program.command('db').description('run the embedded PostgreSQL (a real server under .tenantctl/, no install needed)');
  const home = (): string => embeddedHome(io.env, io.cwd);

  db.command('start')
    .description('start the embedded PostgreSQL, creating it on first use (pg_stat_statements preloaded)')
    .option('--port <port>', 'TCP port on 127.0.0.1 for a new cluster (default: first free from 54320)', positiveInt('--port'))
    .action(async (_opts, command: Command) => {
      const options = optionsOf<{ port?: number }>(command);
      const { state, alreadyRunning } = await startEmbedded({ home: home(), port: options.port });
      const data = { running: true, alreadyRunning, port: state.port, dataDir: state.dataDir, url: embeddedUrl(state) };
      emit(io, options, data, (d) => `${d.alreadyRunning ? 'already running' : 'started'}: ${d.url}\nCommands now use it when no --database-url, DATABASE_URL or PG* variable is set.`);
    });

  db.command('stop')
    .description('stop the embedded PostgreSQL (data is kept)')
    .action(async (_opts, command: Command) => {
      const options = optionsOf(command);
      const { wasRunning } = await stopEmbedded(home());
      emit(io, options, { stopped: wasRunning, wasRunning }, (d) => (d.wasRunning ? 'stopped' : 'not running'));
    });

  db.command('status')
    .description('say whether the embedded PostgreSQL is running, and where')
    .action(async (_opts, command: Command) => {
      const options = optionsOf(command);
      const state = await readEmbeddedState(home());
      const running = state ? await embeddedRunning(state) : false;
      const data = { initialised: Boolean(state), running, port: state?.port ?? null, dataDir: state?.dataDir ?? null, url: state ? embeddedUrl(state) : null };
      emit(io, options, data, (d) => (d.initialised ? formatRecord({ running: d.running, url: d.url, data: d.dataDir }) : 'no embedded database here yet: run `tenantctl db start`'));
    });

  db.command('url')
    .description('print the embedded connection URL (the password stays in .tenantctl/pgpass)')
    .action(async (_opts, command: Command) => {
      const options = optionsOf(command);
      const state = await readEmbeddedState(home());
      if (!state) {
        throw new TenantctlError('NO_EMBEDDED', 'There is no embedded database here yet.', { hint: 'Run `tenantctl db start` first.' });
      }
      emit(io, options, { url: embeddedUrl(state) }, (d) => d.url);
    });
}
