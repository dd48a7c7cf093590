import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { TestPlatform, type CliResult } from './platform.js';

/** One master key for a platform and the one restored from its backup (the archive holds none). */
export function sharedSecretKey(): Record<string, string> {
  return { DOZEN_SECRET_KEY: randomBytes(32).toString('base64') };
}

/** A platform on a fresh, empty data dir, not started (for a restore first). */
export function freshPlatform(env: Record<string, string>): TestPlatform {
  return new TestPlatform(mkdtempSync(join(tmpdir(), 'dozen-e2e-restore-')), env);
}

/** `dozen backups:restore FILE` against the platform's data dir (offline: it is not running). */
export function restoreInto(platform: TestPlatform, archive: string, env: Record<string, string>): Promise<CliResult> {
  return platform.cli(['backups:restore', archive], { env });
}

/** The names in the data dir (a refused restore must leave it as it was). */
export function dataDirNames(dir: string): string[] {
  return readdirSync(dir).sort();
}

export async function withRedis<T>(url: string, fn: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  await redis.connect();
  try {
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

/** Resolves once `check` is true (polled every few ms), for catching a process mid-way. */
export async function when(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the moment never came');
    await new Promise((r) => setTimeout(r, 3));
  }
}

/** Names in `dir`, or none when it does not exist. */
export function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
