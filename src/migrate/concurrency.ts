import { availableParallelism } from 'node:os';
import type { ConnectionConfig } from '../db/config.js';

/** Workers for a server elsewhere: each spends much of its time on round trips, so more than the server's cores pays. */
export const REMOTE_CONCURRENCY = 8;
/** The most workers chosen by default for a server on this machine (also what a pool must be able to open). */
export const MAX_DEFAULT_CONCURRENCY = 16;

/** Is the server on this machine: a Unix socket, or a loopback address? */
export function serverIsLocal(config: Pick<ConnectionConfig, 'host' | 'socketPath'>): boolean {
  if (config.socketPath) return true;
  const host = config.host.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Tenant workers of a `migrate up`/`down` when --concurrency is not given. A fleet run is
 * server CPU more than anything (the DDL, the checks of each tenant): on a server that runs on
 * this machine, the workers and the server share its cores, and workers beyond them only
 * contend (measured at 1,000 and 10,000 tenants on 2 cores: 2 workers took 20–30 % less server
 * CPU and 10–15 % less time than 8, BENCHMARKS.md). So: this machine's cores, at least 2 (one
 * runs while the other waits on a round trip), at most MAX_DEFAULT_CONCURRENCY. A server elsewhere: its
 * cores are not known from here, and the workers hide the network's round trips: 8.
 */
export function defaultConcurrency(config: Pick<ConnectionConfig, 'host' | 'socketPath'>, cores = availableParallelism()): number {
  return serverIsLocal(config) ? Math.min(MAX_DEFAULT_CONCURRENCY, Math.max(2, cores)) : REMOTE_CONCURRENCY;
}
