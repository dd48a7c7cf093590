import { createHash, randomBytes } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';

/** A master key: 32 bytes. Its id is derived from it, so a key always names itself. */
export interface MasterKey {
  id: string;
  key: Buffer;
}

export const MASTER_KEY_BYTES = 32;

/** The key id: the first 8 bytes of a SHA-256 over the key (with a label), as 16 hex digits. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('dozen master key id\0').update(key).digest('hex').slice(0, 16);
}

export function masterKey(key: Buffer): MasterKey {
  return { id: masterKeyId(key), key };
}

export function generateMasterKey(): MasterKey {
  return masterKey(randomBytes(MASTER_KEY_BYTES));
}

/** Base64 of 32 bytes, as DOZEN_SECRET_KEY and the key file hold them; `source` names where it came from. */
export function decodeMasterKey(text: string, source: string): MasterKey {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== MASTER_KEY_BYTES) {
    throw new DozenError('SECRET_KEY_INVALID', `${source} holds a key that is not base64 of ${MASTER_KEY_BYTES} bytes (${key.length} bytes decoded).`);
  }
  return masterKey(key);
}

export function encodeMasterKey(key: MasterKey): string {
  return key.key.toString('base64');
}

/**
 * The master keys the platform holds: the primary wraps new data keys (and every data key after a
 * rotation); the others only unwrap what is still wrapped under them.
 */
export class Keyring {
  private keys: MasterKey[];

  /** `source`: where the keys came from (DOZEN_SECRET_KEY or the key file), for messages. */
  constructor(
    keys: MasterKey[],
    readonly source: string,
  ) {
    if (keys.length === 0) throw new Error('a keyring needs at least one master key');
    this.keys = dedupe(keys);
  }

  get primary(): MasterKey {
    return this.keys[0] as MasterKey;
  }

  get ids(): string[] {
    return this.keys.map((k) => k.id);
  }

  get all(): MasterKey[] {
    return [...this.keys];
  }

  byId(id: string): MasterKey | undefined {
    return this.keys.find((k) => k.id === id);
  }

  /** `key` becomes the primary; the others stay for unwrapping. */
  promote(key: MasterKey): void {
    this.keys = dedupe([key, ...this.keys]);
  }

  /** Keeps only the primary. */
  dropOld(): string[] {
    const dropped = this.keys.slice(1).map((k) => k.id);
    this.keys = [this.primary];
    return dropped;
  }
}

function dedupe(keys: MasterKey[]): MasterKey[] {
  return keys.filter((key, index) => keys.findIndex((other) => other.id === key.id) === index);
}
