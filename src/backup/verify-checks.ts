/**
 * The comparisons of `backup verify`, as pure functions: what the manifest promised against
 * what the files, the archive's table of contents and the restored copy show. Each
 * mismatch is a Fault that names the object.
 */
import { tableKey, type TableFigures } from './checksums.js';
import type { Fault } from './log.js';
import type { FileEntry, Manifest, TableEntry, TenantEntry } from './manifest.js';

/** Files: missing, altered (sha256 or size) and unexpected ones. */
export function compareFiles(expected: readonly FileEntry[], present: ReadonlySet<string>, actual: ReadonlyMap<string, FileEntry>): Fault[] {
  const faults: Fault[] = [];
  for (const file of expected) {
    const found = actual.get(file.path);
    if (!present.has(file.path) || !found) faults.push({ check: 'files', object: file.path, message: `${file.path} is missing` });
    else if (found.bytes !== file.bytes) faults.push({ check: 'files', object: file.path, message: `${file.path} is ${found.bytes} bytes, the manifest says ${file.bytes} (truncated or altered)` });
    else if (found.sha256 !== file.sha256) faults.push({ check: 'files', object: file.path, message: `${file.path} sha256 differs from the manifest (the file was altered or damaged)` });
  }
  const listed = new Set(expected.map((f) => f.path));
  for (const path of present) if (!listed.has(path)) faults.push({ check: 'files', object: path, message: `${path} is not in the manifest (added after the backup was made)` });
  return faults;
}

/**
 * The `schema table` pairs of TABLE DATA entries in `pg_restore --list` output, e.g.
 * `3345; 0 16450 TABLE DATA tenant_acme products tenantctl` → "tenant_acme products".
 * pg_restore prints schema, name and owner unquoted, separated by single spaces, so a
 * space inside any of them (a role "app owner") makes the line ambiguous: cutting the last
 * word off took "products app" for the table. So a line is read against the tables the
 * manifest expects (`known`): the longest `schema table ` it starts with is the entry and the
 * rest its owner. A line that names no known table (an extra, reported as such) loses the
 * owner of a known line when it ends with one, else its last word.
 */
export function tableDataEntries(list: string, known: readonly { schema: string; table: string }[]): Set<string> {
  const names = known.map((t) => `${t.schema} ${t.table}`).sort((a, b) => b.length - a.length);
  const entries = new Set<string>();
  const owners = new Set<string>();
  const unknown: string[] = [];
  for (const line of list.split('\n')) {
    if (line.startsWith(';')) continue;
    const at = line.indexOf(' TABLE DATA ');
    if (at < 0) continue;
    const rest = line.slice(at + ' TABLE DATA '.length).trimEnd();
    const name = names.find((n) => rest.startsWith(`${n} `) && rest.length > n.length + 1);
    if (name === undefined) {
      unknown.push(rest);
      continue;
    }
    entries.add(name);
    owners.add(rest.slice(name.length + 1));
  }
  for (const rest of unknown) {
    const owner = [...owners].find((o) => rest.endsWith(` ${o}`) && rest.length > o.length + 1);
    entries.add(rest.slice(0, owner !== undefined ? rest.length - owner.length - 1 : rest.lastIndexOf(' ')));
  }
  return entries;
}

/** Tables of one chunk the manifest lists but the archive has no data entry for, and the reverse. */
export function compareArchiveList(chunk: string, tables: readonly TableEntry[], entries: ReadonlySet<string>): Fault[] {
  const faults: Fault[] = [];
  const expected = new Set<string>();
  for (const t of tables) {
    const entry = `${t.schema} ${t.table}`;
    expected.add(entry);
    if (!entries.has(entry)) faults.push({ check: 'archive', object: tableKey(t.schema, t.table), message: `${tableKey(t.schema, t.table)} is missing from the archive ${chunk} (its data entry is not in pg_restore --list)` });
  }
  for (const entry of entries) {
    if (!expected.has(entry)) faults.push({ check: 'archive', object: entry.replace(' ', '.'), message: `${entry.replace(' ', '.')} is in the archive ${chunk} but not in the manifest` });
  }
  return faults;
}

/** Row counts and checksums of the restored copy against the manifest, for one chunk. */
export function compareTables(expected: readonly TableEntry[], restored: readonly TableFigures[]): Fault[] {
  const faults: Fault[] = [];
  const found = new Map(restored.map((r) => [tableKey(r.schema, r.table), r]));
  const wanted = new Set<string>();
  for (const t of expected) {
    const key = tableKey(t.schema, t.table);
    wanted.add(key);
    const r = found.get(key);
    if (!r) faults.push({ check: 'tables', object: key, message: `${key} is missing from the restored copy` });
    else if (r.rows !== t.rows) faults.push({ check: 'tables', object: key, message: `${key} has ${r.rows} rows in the restored copy, the manifest says ${t.rows}` });
    else if (r.checksum !== t.checksum) faults.push({ check: 'tables', object: key, message: `${key} content checksum differs from the manifest (same ${t.rows} rows, different data)` });
  }
  for (const r of restored) {
    const key = tableKey(r.schema, r.table);
    if (!wanted.has(key)) faults.push({ check: 'tables', object: key, message: `${key} is in the restored copy but not in the manifest` });
  }
  return faults;
}

/** Every tenant of the manifest is in the restored copy (its `registry`, schema.table), with its schema at the recorded version. */
export function compareTenants(expected: readonly TenantEntry[], restored: readonly { slug: string; schema: string; applied: string[] }[], registry: string): Fault[] {
  const faults: Fault[] = [];
  const found = new Map(restored.map((t) => [t.slug, t]));
  for (const t of expected) {
    const r = found.get(t.slug);
    if (!r) faults.push({ check: 'tenants', object: t.slug, message: `tenant ${t.slug} is missing from ${registry} in the restored copy` });
    else if ((r.applied.at(-1) ?? '') !== t.version) faults.push({ check: 'tenants', object: t.slug, message: `tenant ${t.slug} (${t.schema}) is at version ${r.applied.at(-1) ?? 'none'} in the restored copy, the manifest says ${t.version || 'none'}` });
  }
  return faults;
}

/** Tenants in the backup that are no longer in the live database (erased or deleted since). */
export function goneTenants(manifest: Pick<Manifest, 'tenants'>, liveIds: ReadonlySet<string>): TenantEntry[] {
  return manifest.tenants.filter((t) => !liveIds.has(t.id));
}
