/**
 * libpq's compiled-in Unix socket folder, where psql and pg_dump look when no host is given:
 * /var/run/postgresql on Debian and Ubuntu, /tmp for a build from source.
 */
export const DEFAULT_SOCKET_DIRS: readonly string[] = ['/var/run/postgresql', '/tmp'];
