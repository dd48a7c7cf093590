import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { decodeMasterKey, encodeMasterKey, generateMasterKey, Keyring, type MasterKey } from './master-keys.js';

/**
 * The master keys of a platform, from DOZEN_SECRET_KEY (base64 keys, the first wraps) or the key
 * file in the data dir (one base64 key a line, the first wraps). A missing file gets a new key,
 * written by `create()` only once the store showed that it needs no other key: a start that
 * refuses writes nothing.
 */
export interface LoadedKeyring {
  keyring: Keyring;
  /** The key file to maintain (rotation writes it), or null when the keys come from the environment. */
  keyFile: string | null;
  /** Writes the key file when this start generated the key (answers true); a no-op otherwise. */
  create(): boolean;
}

export function loadKeyring(fromEnv: string[] | null, keyFile: string): LoadedKeyring {
  if (fromEnv && fromEnv.length > 0) {
    const keys = fromEnv.map((text, index) => decodeMasterKey(text, `DOZEN_SECRET_KEY (key ${index + 1})`));
    return { keyring: new Keyring(keys, 'DOZEN_SECRET_KEY'), keyFile: null, create: () => false };
  }
  if (existsSync(keyFile)) return { keyring: readKeyFile(keyFile), keyFile, create: () => false };
  const fresh = generateMasterKey();
  const source = `a new key: ${keyFile} is missing and DOZEN_SECRET_KEY is unset`;
  const create = () => {
    writeKeyFile(keyFile, [fresh]);
    return true;
  };
  return { keyring: new Keyring([fresh], source), keyFile, create };
}

export function readKeyFile(file: string): Keyring {
  const lines = readFileSync(file, 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const keys = lines.map((line, index) => decodeMasterKey(line, `the key file ${file} (line ${index + 1})`));
  return new Keyring(keys.length > 0 ? keys : [decodeMasterKey('', `the key file ${file}`)], `the key file ${file}`);
}

/** Replaces the key file at once (a temporary file renamed over it), owner-only. */
export function writeKeyFile(file: string, keys: MasterKey[]): void {
  const temporary = `${file}.tmp`;
  const text = ['# Dozen master keys (base64, 32 bytes each); the first one wraps the data keys.', ...keys.map(encodeMasterKey), ''].join('\n');
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
}
