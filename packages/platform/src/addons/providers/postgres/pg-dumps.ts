import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { AddonBackupInfo, AddonDumps } from '../../../core/ports/backups.js';
import { adminClient } from '../../admin-clients.js';
import { pgConnector } from './pg-session.js';

/**
 * Heroku's pg:backups for one add-on: `pg_dump -Fc` of its database, as its own role, kept in
 * `<dir>/<add-on id>/<id>.dump` with `<id>.json` beside it (written via `.partial`, fsynced,
 * renamed); restored with `pg_restore --clean --single-transaction`. The host's client tools
 * are used; a pg_dump older than the server (which it refuses) is a clear ADDON_CLIENT_MISSING.
 */
export class PgDumps implements AddonDumps {
  constructor(
    private readonly dir: string,
    private readonly clientDirs: () => string[] = debianClientDirs,
  ) {}

  async capture(addon: { id: string; name: string; url: string }, id: string, createdAt: Date): Promise<AddonBackupInfo> {
    const bin = await this.toolsFor(addon.url);
    const home = join(this.dir, addon.id);
    await mkdir(home, { recursive: true, mode: 0o700 });
    const partial = join(home, `${id}.dump.partial`);
    try {
      await run(join(bin, 'pg_dump'), ['-Fc', '--no-owner', '--no-acl', '-f', partial], addon.url);
      await fsync(partial);
      const info: AddonBackupInfo = { id, addon: addon.name, createdAt: createdAt.toISOString(), bytes: (await stat(partial)).size };
      await writeFile(join(home, `${id}.json`), `${JSON.stringify(info)}\n`, { mode: 0o600 });
      await rename(partial, join(home, `${id}.dump`));
      return info;
    } catch (error) {
      await rm(partial, { force: true });
      await rm(join(home, `${id}.json`), { force: true });
      if (error instanceof DozenError) throw error;
      const full = /ENOSPC|No space left/i.test((error as Error).message);
      throw new DozenError('BACKUP_FAILED', `The backup of ${addon.name} failed: ${full ? 'the disk is full' : (error as Error).message}. No backup was kept.`, { cause: error });
    }
  }

  async list(addonId: string): Promise<AddonBackupInfo[]> {
    const home = join(this.dir, addonId);
    if (!existsSync(home)) return [];
    const infos: AddonBackupInfo[] = [];
    for (const name of await readdir(home)) {
      if (name.endsWith('.json') && existsSync(join(home, name.replace(/\.json$/, '.dump')))) infos.push(JSON.parse(await readFile(join(home, name), 'utf8')) as AddonBackupInfo);
    }
    return infos.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  async open(addonId: string, id: string): Promise<{ bytes: number; stream: AsyncIterable<Uint8Array> } | undefined> {
    const file = join(this.dir, addonId, `${id}.dump`);
    if (!existsSync(file)) return undefined;
    return { bytes: (await stat(file)).size, stream: createReadStream(file) };
  }

  async restore(addon: { id: string; name: string; url: string }, backup: { addonId: string; id: string }): Promise<void> {
    const { id } = backup;
    const file = join(this.dir, backup.addonId, `${id}.dump`);
    const bin = await this.toolsFor(addon.url);
    const database = decodeURIComponent(new URL(addon.url).pathname.slice(1));
    try {
      await run(join(bin, 'pg_restore'), ['--clean', '--if-exists', '--no-owner', '--no-acl', '--single-transaction', '-d', database, file], addon.url);
    } catch (error) {
      throw new DozenError('RESTORE_FAILED', `Restoring ${id} into ${addon.name} failed (nothing was changed: one transaction): ${(error as Error).message}`, { cause: error });
    }
  }

  /** The newest client tools of the host, if they can read the server (pg_dump refuses newer majors). */
  private async toolsFor(url: string): Promise<string> {
    const session = await pgConnector()(url);
    let server: number;
    try {
      server = Math.floor(Number((await session.query('show server_version_num'))[0]?.server_version_num) / 10_000);
    } finally {
      await session.end();
    }
    const dirs = this.clientDirs().filter((dir) => existsSync(join(dir, 'pg_dump')));
    const best = dirs.map((dir) => ({ dir, major: Number(/\/(\d+)\/bin$/.exec(dir)?.[1] ?? 0) })).sort((a, b) => b.major - a.major)[0];
    if (!best || best.major < server) {
      const have = best ? `the host's pg_dump is version ${best.major}, which refuses PostgreSQL ${server}` : 'the host has no pg_dump';
      throw new DozenError('ADDON_CLIENT_MISSING', `pg:backups needs pg_dump ${server} or newer: ${have}.`, { hint: `Install postgresql-client-${server} on the platform host (from apt.postgresql.org), or back up the whole platform with \`dozen backups:create\`, which needs no client.` });
    }
    return best.dir;
  }
}

/** Debian's client tools, one directory per major version. */
function debianClientDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).map((v) => join('/usr/lib/postgresql', v, 'bin'));
  } catch {
    return [];
  }
}

/** Runs a client tool with the add-on's credentials in its environment (never on the command line). */
function run(binary: string, args: string[], url: string): Promise<void> {
  const { env } = adminClient('psql', url, [], () => binary);
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: { PATH: '/usr/bin:/bin', LC_ALL: 'C', ...env, PGAPPNAME: 'dozen pg:backups' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', (error) => reject(error));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${binary.split('/').pop()} exited with ${code}: ${errors.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  await handle.sync().finally(() => handle.close());
}
