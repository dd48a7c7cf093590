import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { freePort } from '../net/free-port.js';
import type { SecretBox } from '../shared-ports/value-sealer.js';

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

/** The port and admin password of a server the platform runs: chosen once, the URLs handed to apps depend on them. */
export interface ServerState {
  port: number;
  password: string;
}

/**
 * `<addons>/<server>.json`: its port and admin password, made at the first use. With a box the
 * password is sealed in the file (secrets at rest); a plain one from before is sealed now.
 */
export async function serverState(file: string, server: string, box: SecretBox | undefined): Promise<ServerState> {
  const name = `addon-server:${server}:password`;
  const existing = await readState<ServerState>(file);
  if (existing) {
    if (!box) return existing;
    if (box.isSealed(existing.password)) return { ...existing, password: await box.open(name, existing.password) };
    await writeState(file, { ...existing, password: await box.seal(name, existing.password) });
    return existing;
  }
  const state = { port: await freePort(), password: newPassword() };
  await writeState(file, box ? { ...state, password: await box.seal(name, state.password) } : state);
  return state;
}

export async function writeState(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}
