import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import { DozenError } from '@dozen/contracts/errors';
import { STORE_ENTRY } from './backup-archives.js';
import { fsync, writeDurably } from './durable-files.js';
import { digestTree } from './file-tree.js';
import { MANIFEST_NAME, parseManifest, unreadable, verifyEntries, type BackupManifest } from './manifest.js';

export interface RestoreTarget {
  /** The data dir to restore into (empty, the platform stopped). */
  root: string;
  /** Where the store goes (DATABASE_URL's file, by default `<root>/dozen.db`). */
  storeFile: string;
  /** The master key's file, which may be there already (put back by the operator). */
  keyFile: string;
  /** This platform's last store migration: an archive of a newer schema is refused. */
  schemaVersion: string;
  /** Throws unless the configured master keys open the store at `file` (SECRET_KEY_*). */
  checkKeys(file: string): Promise<void>;
  /** Gives the add-on servers' files to their users (after the move). */
  fixOwners(root: string): Promise<void>;
}

/** Names a data dir may hold before a restore: a put-back key file, an earlier attempt's staging and marker. */
const STAGING = 'restore-staging';
const MARKER = 'restore-in-progress';

/**
 * `dozen backups:restore FILE`, offline, onto an empty data dir: the archive is unpacked into a
 * staging dir and checked whole (manifest, every entry's size and sha256, nothing unlisted, the
 * master key opens its store) before anything is put in place; then a marker is written, each
 * part renamed into place, the marker removed. A restore that stops half-way is run again: the
 * marker lets it replace what the first run put in place, the staging dir is redone.
 */
export async function restoreArchive(archive: string, target: RestoreTarget, say: (line: string) => void): Promise<BackupManifest> {
  const resumed = await assertRestorable(target);
  const staging = join(target.root, STAGING);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    const manifest = await unpackAndVerify(archive, staging, target);
    say(`Verified ${manifest.entries.length} files of backup ${manifest.id} (${manifest.createdAt}, ${manifest.apps.length} apps).`);
    await target.checkKeys(join(staging, STORE_ENTRY));
    await putInPlace(staging, target, manifest, resumed);
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function assertRestorable(target: RestoreTarget): Promise<boolean> {
  if (!existsSync(target.root)) {
    await mkdir(target.root, { recursive: true, mode: 0o700 });
    return false;
  }
  const names = await readdir(target.root);
  if (names.includes(MARKER)) return true;
  const allowed = new Set([STAGING, `${MARKER}.partial`, 'lost+found', target.keyFile.startsWith(`${target.root}/`) ? target.keyFile.slice(target.root.length + 1) : '']);
  const other = names.filter((name) => !allowed.has(name));
  if (other.length > 0) {
    throw new DozenError('RESTORE_TARGET_NOT_EMPTY', `The data dir ${target.root} is not empty (it holds ${other.slice(0, 5).join(', ')}${other.length > 5 ? ', …' : ''}); a restore writes only into an empty one.`);
  }
  return false;
}

async function unpackAndVerify(archive: string, staging: string, target: RestoreTarget): Promise<BackupManifest> {
  if (!existsSync(archive)) throw new DozenError('BACKUP_ARCHIVE_INVALID', `There is no file ${archive}.`);
  try {
    await extract({ file: archive, cwd: staging, strict: true, preserveOwner: false });
  } catch (error) {
    throw unreadable(archive, error);
  }
  if (!existsSync(join(staging, MANIFEST_NAME))) throw new DozenError('BACKUP_ARCHIVE_INVALID', `The backup archive ${archive} has no ${MANIFEST_NAME}: it is not a Dozen backup. Nothing was changed.`);
  const manifest = parseManifest(archive, await readFile(join(staging, MANIFEST_NAME), 'utf8'));
  if (manifest.schemaVersion > target.schemaVersion) {
    throw new DozenError('BACKUP_ARCHIVE_INVALID', `The backup archive ${archive} was made by Dozen ${manifest.platformVersion} with store schema ${manifest.schemaVersion}, newer than this platform's ${target.schemaVersion}. Nothing was changed.`, { hint: 'Restore with the same or a newer version of Dozen.' });
  }
  const found = new Map((await digestTree(staging)).filter((e) => e.path !== MANIFEST_NAME).map((e) => [e.path, e]));
  verifyEntries(archive, manifest, found);
  return manifest;
}

async function putInPlace(staging: string, target: RestoreTarget, manifest: BackupManifest, resumed: boolean): Promise<void> {
  const marker = join(target.root, MARKER);
  await writeDurably(marker, `${JSON.stringify({ backup: manifest.id, resumed })}\n`);
  try {
    for (const name of (await readdir(staging)).filter((n) => n !== MANIFEST_NAME)) {
      const destination = name === STORE_ENTRY ? target.storeFile : join(target.root, name);
      await rm(destination, { recursive: true, force: true });
      if (name === STORE_ENTRY) for (const suffix of ['-wal', '-shm']) await rm(`${destination}${suffix}`, { force: true });
      await rename(join(staging, name), destination);
    }
    await target.fixOwners(target.root);
    await fsync(target.root);
  } catch (error) {
    throw new DozenError('RESTORE_FAILED', `The restore stopped while putting files in place: ${(error as Error).message}.`, { cause: error });
  }
  await rm(marker, { force: true });
  await fsync(target.root);
}
