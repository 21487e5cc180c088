import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { TenantctlError } from '../errors.js';

const execFileAsync = promisify(execFile);

/** The PostgreSQL client programs tenantctl drives. */
export type PgToolName = 'pg_dump' | 'pg_restore' | 'psql';

/** A client program that was found and asked for its version. */
export interface PgTool {
  name: PgToolName;
  path: string;
  /** e.g. "15.18 (Debian 15.18-0+deb12u1)" */
  version: string;
  major: number;
}

/** Where to look: `--pg-bin`, else `PG_BIN`, else every folder on PATH. */
export interface ToolSearch {
  pgBin?: string;
  env: NodeJS.ProcessEnv;
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function searchFolders(search: ToolSearch): { folders: string[]; where: string } {
  const pinned = search.pgBin ?? search.env.PG_BIN;
  if (pinned) return { folders: [pinned], where: search.pgBin ? `--pg-bin ${pinned}` : `PG_BIN=${pinned}` };
  return { folders: (search.env.PATH ?? '').split(delimiter).filter(Boolean), where: 'PATH' };
}

/** Parse `pg_dump (PostgreSQL) 15.18 (Debian …)` into its version text and major. */
export function parseToolVersion(output: string): { version: string; major: number } | undefined {
  const match = /\(PostgreSQL\)\s+((\d+)(?:\.\d+)*.*)$/m.exec(output.trim());
  if (!match) return undefined;
  return { version: match[1]!.trim(), major: Number(match[2]) };
}

/**
 * Find one client program and read its version. A missing program is an error that says
 * where tenantctl looked and which PostgreSQL version to install.
 * @param needMajor the oldest acceptable major (the server's, or the archive's) @default none
 */
export async function findTool(name: PgToolName, search: ToolSearch, needMajor?: { major: number; why: string }): Promise<PgTool> {
  const { folders, where } = searchFolders(search);
  const wanted = needMajor ? ` ${needMajor.major} or newer` : '';
  let path: string | undefined;
  for (const folder of folders) {
    const candidate = join(folder, name);
    if (await executable(candidate)) {
      path = candidate;
      break;
    }
  }
  if (!path) {
    throw new TenantctlError('BACKUP_TOOL_MISSING', `${name} was not found (looked in ${where}).`, {
      hint: `Install the PostgreSQL client${wanted} (Debian/Ubuntu: apt-get install postgresql-client${needMajor ? `-${needMajor.major}` : ''}) or point --pg-bin / PG_BIN at the folder holding ${name}.`,
      details: { tool: name, searched: folders },
    });
  }
  let parsed: ReturnType<typeof parseToolVersion>;
  try {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 10_000 });
    parsed = parseToolVersion(stdout);
  } catch (error) {
    throw new TenantctlError('BACKUP_TOOL_BROKEN', `${path} --version failed: ${(error as Error).message}`, { hint: `Check the installation of ${name}, or point --pg-bin / PG_BIN at another one.`, cause: error });
  }
  if (!parsed) throw new TenantctlError('BACKUP_TOOL_BROKEN', `${path} --version did not print a PostgreSQL version.`, { hint: `Point --pg-bin / PG_BIN at the folder of a real ${name}.` });
  if (needMajor && parsed.major < needMajor.major) {
    throw new TenantctlError('BACKUP_TOOL_TOO_OLD', `${name} ${parsed.version} at ${path} is older than ${needMajor.why}: ${name} ${needMajor.major} or newer is needed.`, {
      hint: `Install postgresql-client-${needMajor.major} (or newer) and put it on PATH, or point --pg-bin / PG_BIN at its bin folder (e.g. /usr/lib/postgresql/${needMajor.major}/bin).`,
      details: { tool: name, path, version: parsed.version, needMajor: needMajor.major },
    });
  }
  return { name, path, ...parsed };
}

/** The major version of a server from `server_version_num` (150018 → 15). */
export function serverMajor(versionNum: number): number {
  return Math.floor(versionNum / 10000);
}

/**
 * The pg_restore that restores an archive into the live server: at least the major of the
 * pg_dump that wrote it and of the server. `why` names the one that asks for the newer tool
 * (both when they are the same major), so the error says what to upgrade for.
 */
export function restoreToolNeed(archive: { major: number; version: string }, server: { versionNum: number; version: string }): { major: number; why: string } {
  const serverNeeds = serverMajor(server.versionNum);
  const ofArchive = `the archive (written by pg_dump ${archive.version})`;
  const ofServer = `the server (PostgreSQL ${server.version})`;
  if (archive.major > serverNeeds) return { major: archive.major, why: ofArchive };
  if (serverNeeds > archive.major) return { major: serverNeeds, why: ofServer };
  return { major: serverNeeds, why: `${ofArchive} and ${ofServer}` };
}
