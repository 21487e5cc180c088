#!/usr/bin/env node
// The bundle (scripts/bundle.mjs): the router says which command group argv names, and one file
// holds that group, run with V8's code cache (src/bundle-loader.ts); for --version, --help and
// unknown commands, the outline of them all.
import { fileURLToPath } from 'node:url';
import { groupNamed } from '../dist/bundle/route.js';

const group = groupNamed(process.argv);
const loaded = group ? (await import('../dist/bundle/bundle-loader.js')).loadGroupBundle(fileURLToPath(new URL(`../dist/bundle/group-${group}.cjs`, import.meta.url))) : undefined;
// At exit the code compiled for the command is complete: kept then for the next run.
if (loaded) process.once('exit', loaded.keepCache);
const { main } = loaded?.bundle ?? (await import('../dist/bundle/cli.js'));

// `tenantctl … | head` closes the pipe early: stop quietly, as Unix tools do, not with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

process.exitCode = await main(process.argv);
