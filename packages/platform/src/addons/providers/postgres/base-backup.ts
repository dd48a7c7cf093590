import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pgConnector } from './pg-session.js';

/** What a base backup leaves out of the cluster: the server's run-time state, rebuilt at start. */
const SKIPPED = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'backup_label.old']);
/** Directories copied empty (their contents are transient or come from the WAL copy below). */
const EMPTIED = new Set(['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans']);

/**
 * An online, consistent copy of the whole embedded cluster (PostgreSQL's own low-level base backup:
 * pg_backup_start, copy the files, pg_backup_stop, then the WAL written meanwhile): a server
 * started on the copy replays that WAL and comes up as the cluster was at the end of the backup.
 * (The host's pg_dump, Debian's 15, refuses the embedded server's newer major version: this
 * needs no client tools. See docs/decisions.md, "Backups".)
 */
export async function clusterBaseBackup(adminUrl: string, clusterDir: string, dest: string): Promise<void> {
  const session = await pgConnector(10_000)(adminUrl);
  try {
    await session.query("select pg_backup_start('dozen backup', true)");
    await copyTree(clusterDir, dest, true);
    const [stop] = await session.query('select labelfile, spcmapfile, pg_walfile_name(lsn) as last_wal from pg_backup_stop(false)');
    const label = String(stop?.labelfile ?? '');
    const first = /START WAL LOCATION: .*\(file ([0-9A-F]{24})\)/.exec(label)?.[1];
    const last = String(stop?.last_wal ?? '');
    if (!first || !/^[0-9A-F]{24}$/.test(last)) throw new Error(`pg_backup_stop answered an unexpected label (${label.split('\n')[0]})`);
    await writeFile(join(dest, 'backup_label'), label, { mode: 0o600 });
    if (String(stop?.spcmapfile ?? '') !== '') await writeFile(join(dest, 'tablespace_map'), String(stop?.spcmapfile), { mode: 0o600 });
    await copyWal(join(clusterDir, 'pg_wal'), join(dest, 'pg_wal'), first, last);
  } catch (error) {
    // A session that ends aborts its backup on the server; nothing else to undo here.
    throw new Error(`the base backup of the embedded PostgreSQL failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await session.end();
  }
}

async function copyTree(from: string, to: string, top: boolean): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  for (const entry of await readdir(from, { withFileTypes: true }).catch(vanished)) {
    if (top && SKIPPED.has(entry.name)) continue;
    if (entry.name.startsWith('pgsql_tmp')) continue;
    const source = join(from, entry.name);
    if (entry.isDirectory()) {
      if (top && EMPTIED.has(entry.name)) await mkdir(join(to, entry.name, ...(entry.name === 'pg_wal' ? ['archive_status'] : [])), { recursive: true, mode: 0o700 });
      else await copyTree(source, join(to, entry.name), false);
    } else if (entry.isFile()) {
      // A relation dropped while the backup runs is gone from the copy too: the WAL replays the drop.
      await copyFile(source, join(to, entry.name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }
}

/** The WAL segments from the backup's start to its end (names sort in WAL order within a timeline), and history files. */
async function copyWal(from: string, to: string, first: string, last: string): Promise<void> {
  for (const name of await readdir(from)) {
    const segment = /^[0-9A-F]{24}$/.test(name) && name.slice(8) >= first.slice(8) && name.slice(8) <= last.slice(8) && name.slice(0, 8) === last.slice(0, 8);
    if (segment || name.endsWith('.history')) await copyFile(join(from, name), join(to, name));
  }
}

function vanished(error: NodeJS.ErrnoException): never[] {
  if (error.code === 'ENOENT') return [];
  throw error;
}
