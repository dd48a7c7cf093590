import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Credentials = Record<string, { token: string }>;

function file(configDir: string): string {
  return join(configDir, 'credentials.json');
}

function readAll(configDir: string): Credentials {
  try {
    return JSON.parse(readFileSync(file(configDir), 'utf8')) as Credentials;
  } catch {
    return {};
  }
}

export function readCredential(configDir: string, apiUrl: string): string | undefined {
  return readAll(configDir)[apiUrl]?.token;
}

/** Saved per API URL, readable by the user only. */
export function saveCredential(configDir: string, apiUrl: string, token: string): string {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const all = readAll(configDir);
  all[apiUrl] = { token };
  writeFileSync(file(configDir), `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  return file(configDir);
}

/** Forgets the token saved for an API URL; true if there was one. */
export function forgetCredential(configDir: string, apiUrl: string): boolean {
  const all = readAll(configDir);
  if (!(apiUrl in all)) return false;
  delete all[apiUrl];
  writeFileSync(file(configDir), `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  return true;
}
