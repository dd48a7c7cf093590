import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { slugPath, type DataDirLayout } from '@dozen/contracts/node';
import { DozenError } from '@dozen/contracts/errors';
import type { AppUser } from '../core/model.js';
import { packDirectory } from '../kubernetes/slug-archives.js';
import { grantTree } from '../sandbox/grant.js';
import type { ArtefactClient } from './artefact-client.js';

/** The artefact names of the roles (cluster-ports.ts). */
export const slugArtefact = (appId: string, slugId: string): string => `slug/${appId}/${slugId}`;
export const sourceArtefact = (buildId: string): string => `source/${buildId}`;

/** Packs the slug `<slugs>/<appId>/<slugId>` and stores it through the api as `slug/<appId>/<slugId>`. */
export async function uploadSlug(client: ArtefactClient, layout: Pick<DataDirLayout, 'slugs'>, slug: { appId: string; slugId: string }, scratchDir: string): Promise<{ sha256: string; sizeBytes: number }> {
  await mkdir(scratchDir, { recursive: true, mode: 0o700 });
  const file = join(scratchDir, `slug-${slug.slugId}-${randomUUID()}.tar.gz`);
  try {
    await packDirectory(slugPath(layout, slug.appId, slug.slugId), file);
    return await client.upload(slugArtefact(slug.appId, slug.slugId), file);
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * Unpacks a tar.gz into `dir` (made 0700, as the intake makes a source directory), with the modes
 * the archive carries (no umask), owned by `owner` when there is one and this process may give
 * files away (root), as the sandboxed build leaves a slug; else by this process.
 */
export async function unpackArchive(file: string, dir: string, owner: AppUser | null): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { extract } = await import('tar');
  await extract({
    file, cwd: dir, preserveOwner: false, chmod: true, processUmask: 0, strict: true,
    // setuid, setgid and sticky bits never survive (as in the intake): this may run as root.
    filter: (_path, entry) => {
      if ('mode' in entry && typeof entry.mode === 'number') entry.mode &= 0o777;
      return true;
    },
  });
  await chmod(dir, 0o700);
  if (owner && process.getuid?.() === 0) await grantTree(dir, owner);
}

/** An app or slug id as the platform makes them: one path segment, never `..` or a slash. */
const PATH_SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

const fetching = new Map<string, Promise<'present' | 'fetched'>>();

/**
 * Makes sure the slug is at `slugPath(layout, appId, slugId)` on this host: a no-op when it is;
 * else fetched from the api (`slug/<appId>/<slugId>`, its sha256 checked), unpacked beside its
 * place and renamed in, so that the slug is whole or absent (a runtime starting a process on a
 * host whose builder is elsewhere). Concurrent calls for one slug share one fetch.
 */
export function ensureSlug(options: { client: ArtefactClient; layout: Pick<DataDirLayout, 'slugs'>; appId: string; slugId: string; owner: AppUser | null }): Promise<'present' | 'fetched'> {
  for (const id of [options.appId, options.slugId]) {
    if (!PATH_SAFE_ID.test(id)) return Promise.reject(new DozenError('ARTEFACT_NOT_FOUND', `There is no slug ${JSON.stringify(`${options.appId}/${options.slugId}`)}: an app or slug id is letters, digits, - and _ only.`));
  }
  const target = slugPath(options.layout, options.appId, options.slugId);
  if (existsSync(target)) return Promise.resolve('present');
  let pending = fetching.get(target);
  if (!pending) {
    pending = fetchSlug(target, options).finally(() => fetching.delete(target));
    fetching.set(target, pending);
  }
  return pending;
}

async function fetchSlug(target: string, options: { client: ArtefactClient; appId: string; slugId: string; owner: AppUser | null }): Promise<'present' | 'fetched'> {
  await mkdir(dirname(target), { recursive: true, mode: 0o755 });
  const unique = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const archive = `${target}.fetch-${unique}.tar.gz`;
  const unpacked = `${target}.unpack-${unique}`;
  try {
    await options.client.download(slugArtefact(options.appId, options.slugId), archive);
    await unpackArchive(archive, unpacked, options.owner);
    try {
      await rename(unpacked, target);
    } catch (error) {
      // Another process put it in place meanwhile: the same content-addressed slug.
      if (existsSync(target)) return 'present';
      throw error;
    }
    return 'fetched';
  } finally {
    await rm(archive, { force: true });
    await rm(unpacked, { recursive: true, force: true });
  }
}
