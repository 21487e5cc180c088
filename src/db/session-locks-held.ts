import type { Sql } from './connect.js';

// Its own module, with a type-only import: the tenant locks note their session locks here, and
// every command loads the profiles that import those locks, which need not load postgres.js.

/** Session-level locks taken on each pool's connections and not yet known to be released. */
const held = new WeakMap<Sql, number>();

/**
 * Note a session-level lock about to be taken on a connection of `sql` (the pool). Call the
 * function returned once the server has confirmed its release: until then closePool() waits
 * for the backends to exit, which is what releases a lock whose unlock failed.
 */
export function noteSessionLock(sql: Sql): () => void {
  held.set(sql, (held.get(sql) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.set(sql, held.get(sql)! - 1);
  };
}

/** Whether a lock noted on `sql` may still be held. */
export function holdsSessionLock(sql: Sql): boolean {
  return (held.get(sql) ?? 0) > 0;
}
