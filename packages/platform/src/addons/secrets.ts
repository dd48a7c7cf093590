import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

/** A password for a URL: 32 hex digits (128 bits), safe in any URL or shell without escaping. */
export function newPassword(): string {
  return randomBytes(16).toString('hex');
}

/** Resource names (databases, roles, ACL users) from an add-on id (a UUID): `dz_` and its 32 hex digits. */
export function resourceName(addonId: string): string {
  const safe = addonId.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (safe.length === 0 || safe.length > 48) throw new Error(`add-on id ${JSON.stringify(addonId)} cannot name a resource`);
  return `dz_${safe}`;
}

/** A small JSON state file only root (the platform's user) can read: ports and admin passwords. */
export async function readState<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function writeState(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}
