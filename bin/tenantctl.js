#!/usr/bin/env node
// The bundle (scripts/bundle.mjs): the router says which command group argv names, and one file
// holds that group (or, for --version, --help and unknown commands, the outline of them all).
import { groupNamed } from '../dist/bundle/route.js';

const group = groupNamed(process.argv);
const { main } = await import(group ? `../dist/bundle/group-${group}.js` : '../dist/bundle/cli.js');

// `tenantctl … | head` closes the pipe early: stop quietly, as Unix tools do, not with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw error;
});

process.exitCode = await main(process.argv);
