import { execFile } from 'node:child_process';
import { access, cp, readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { libpqEnv, resolveConnection } from '../../src/db/config.js';
import type { Sql } from '../../src/db/connect.js';
import { hashFiles, listFiles, readManifest, writeManifest, type Manifest } from '../../src/backup/manifest.js';
import { scratchPrefixOf } from '../../src/backup/scratch.js';
import { runCli, spawnCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';

const execFileAsync = promisify(execFile);

/** A database of a pooled profile, migrated, holding its crossing dataset (test/profiles/data/<profile>-crossing.sql). */
export async function crossingDatabase(prefix: string, profile: 'imsop' | 'abparts' | 'prometric'): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  const up = await runCli(['--profile', profile, 'migrate', 'up'], { url: db.url });
  if (up.code !== 0) throw new Error(up.stderr);
  await loadSqlFile(db.sql, join(import.meta.dirname, '..', 'profiles', 'data', `${profile}-crossing.sql`));
  return db;
}

/** A small platform database: shared schema, the given tenants, a few rows in each. */
export async function buildPlatform(db: TestDatabase, slugs: string[]): Promise<void> {
  await migrateAll(db.sql);
  for (const slug of slugs) await addTenantRow(db.sql, slug);
  await migrateAll(db.sql);
  for (const [i, slug] of slugs.entries()) {
    const schema = `tenant_${slug}`;
    await db.sql`insert into ${db.sql(schema)}.products (sku, name, selling_price, attributes)
                 select ${slug} || '-' || g, 'Product ' || g || ' of ' || ${slug}, g * 1.25, jsonb_build_object('n', g)
                 from generate_series(1, ${5 + i * 3}) g`;
    await db.sql`insert into ${db.sql(schema)}.expenses (category, amount, expense_date) values ('packaging', ${100 + i}, date '2024-01-31')`;
    const [tenant] = await db.sql`select id from public.tenants where slug = ${slug}`;
    await db.sql`insert into public.audit_logs (tenant_id, action, entity_type, entity_id) values (${tenant!.id}, 'product.create', 'product', ${slug + '-1'})`;
    await db.sql`insert into public.subscriptions (tenant_id, plan_id, current_period_start, current_period_end)
                 select ${tenant!.id}, id, now(), now() + interval '30 days' from public.plans order by id limit 1`;
  }
}

/** Copy a backup folder so that one test can damage it without spoiling the others. */
export async function copyBackup(from: string, to: string): Promise<string> {
  await rm(to, { recursive: true, force: true });
  await cp(from, to, { recursive: true });
  return to;
}

/** Scratch databases left on the server whose names are in `names` (or any, without). */
export async function scratchDatabases(sql: Sql): Promise<string[]> {
  // Only this database's: test files run side by side, and another file's verify run has a
  // scratch database of its own that this one's cleanup rightly leaves alone.
  const rows = await sql`select datname from pg_database where starts_with(datname, ${scratchPrefixOf(await currentDatabase(sql))})`;
  return rows.map((r) => r.datname as string);
}

async function currentDatabase(sql: Sql): Promise<string> {
  const [{ name }] = (await sql`select current_database() as name`) as unknown as [{ name: string }];
  return name;
}

/**
 * Replace one chunk of a backup with a fresh pg_dump (extra pg_dump arguments allowed) and
 * re-seal the manifest's file list, as if someone had swapped the archive and covered the
 * tracks: only the restore-time checks can then tell.
 */
export async function redumpChunk(db: TestDatabase, backup: string, chunkName: string, extraArgs: string[] = []): Promise<void> {
  const { manifest } = await readManifest(backup);
  const chunk = manifest.chunks.find((c) => c.name === chunkName)!;
  const folder = join(backup, chunk.path);
  await rm(folder, { recursive: true, force: true });
  const config = await resolveConnection({ databaseUrl: db.url, env: {}, cwd: process.cwd() });
  const schemas = chunk.schemas.flatMap((s) => ['-n', s]);
  await execFileAsync('pg_dump', ['--no-password', '-Fd', '-f', folder, ...schemas, ...extraArgs], { env: libpqEnv(config, process.env) });
  await resealFiles(backup, manifest);
}

/** Recompute the manifest's file list and seal it again. */
export async function resealFiles(backup: string, manifest: Manifest): Promise<void> {
  const files = await hashFiles(backup, await listFiles(backup));
  const { checksum: _old, ...body } = { ...manifest, files };
  // writeManifest never replaces a manifest (a backup folder holds one backup): remove it first.
  await rm(join(backup, 'manifest.json'));
  await writeManifest(backup, body);
}

/** Edit manifest.json by hand (no re-seal), as a person with a text editor would. */
export async function editManifestByHand(backup: string, edit: (m: Manifest) => void): Promise<void> {
  const path = join(backup, 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  edit(manifest);
  await writeFile(path, JSON.stringify(manifest, null, 2) + '\n');
}

/** This database's scratch databases that no running tenantctl guards: leftovers. */
export async function orphanScratch(sql: Sql): Promise<string[]> {
  const prefix = scratchPrefixOf(await currentDatabase(sql));
  const rows = await sql`select d.datname from pg_database d
    where starts_with(d.datname, ${prefix})
      and not exists (select 1 from pg_stat_activity a where a.application_name = 'tenantctl-verify:' || d.datname)`;
  return rows.map((r) => r.datname as string);
}


/** Poll until `probe` holds; the test's own timeout bounds it. */
export async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await new Promise((r) => setTimeout(r, 100));
}

export const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/** Run the CLI in the background, collecting its output. */
export function background(args: string[], url: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawnCli(args, { url, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

/** pg_dump / pg_restore processes whose command line names `path` (ours, not another test's). */
export async function toolsWorkingOn(path: string): Promise<string[]> {
  const { stdout } = await execFileAsync('ps', ['-ww', '-eo', 'pid=,args='], { maxBuffer: 1 << 26 });
  return stdout.split('\n').filter((l) => /pg_dump|pg_restore/.test(l) && l.includes(path) && !l.includes('tool-guard'));
}

/**
 * Make `role` (a new login role, CREATEDB or not) the owner of the test database, as a
 * non-superuser owner runs tenantctl; returns the database's URL as that role.
 * dropOwnerRoleAndDatabase undoes it.
 */
export async function handOverToRole(db: TestDatabase, role: string, password: string, createdb: boolean): Promise<string> {
  // CREATE ROLE takes no parameters; the name and password are the test's own literals.
  await db.sql.unsafe(`create role "${role}" login ${createdb ? 'createdb' : 'nocreatedb'} password '${password}'`);
  await db.sql`alter database ${db.sql(db.name)} owner to ${db.sql(role)}`;
  const url = new URL(db.url);
  url.username = encodeURIComponent(role);
  url.password = password;
  return url.toString();
}

/**
 * After a test that made `role` own its database (a non-superuser owner): give the objects and
 * the database back, drop the role, then the database.
 */
export async function dropOwnerRoleAndDatabase(db: TestDatabase | undefined, role: string): Promise<void> {
  if (!db) return;
  await db.sql`drop owned by ${db.sql(role)}`;
  await db.sql`alter database ${db.sql(db.name)} owner to current_user`;
  await db.sql`drop role ${db.sql(role)}`;
  await db.drop();
}
