import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { DozenError } from '@dozen/contracts/errors';
import type { DataKey, DataKeyRecord, ValueSealer } from '../shared-ports/value-sealer.js';
import { decrypt, encrypt } from './aead.js';
import type { Keyring } from './master-keys.js';

/** Every sealed value starts with it: `dz1:<data key id>:<base64url of iv | tag | ciphertext>`. */
export const SEALED_PREFIX = 'dz1:';
const SEALED = /^dz1:([0-9a-f]{16}):([A-Za-z0-9_-]+)$/;
const DATA_KEY_BYTES = 32;

/**
 * Envelope encryption: a data key per owner (an app, or the platform's sentinel), wrapped by the
 * primary master key; values sealed with AES-256-GCM under the data key, with the owner, the key
 * id and the value's name as associated data, so a value opens only where it was sealed.
 */
export class SecretSealer implements ValueSealer {
  constructor(private readonly keyring: Keyring) {}

  get primaryKeyId(): string {
    return this.keyring.primary.id;
  }

  createDataKey(ownerId: string, createdAt: string): { record: DataKeyRecord; key: DataKey } {
    const key: DataKey = { id: randomBytes(8).toString('hex'), ownerId, secret: randomBytes(DATA_KEY_BYTES) };
    return { key, record: this.wrap(key, createdAt) };
  }

  unwrap(record: DataKeyRecord): DataKey {
    const master = this.keyring.byId(record.masterKeyId);
    if (!master) {
      throw new DozenError(
        'SECRET_KEY_MISSING',
        `The store's secrets are encrypted under master key id ${record.masterKeyId}, but this platform holds only ${this.keyring.ids.join(', ')} (from ${this.keyring.source}). Dozen refuses to start and changed nothing.`,
      );
    }
    const secret = decrypt(master.key, Buffer.from(record.wrapped, 'base64'), wrapAad(record.id, record.ownerId));
    if (!secret || secret.length !== DATA_KEY_BYTES) {
      throw new DozenError('SECRET_KEY_WRONG', `Master key id ${master.id} (${this.keyring.source}) does not open data key ${record.id} of ${record.ownerId}. Dozen refuses to start and changed nothing.`);
    }
    return { id: record.id, ownerId: record.ownerId, secret };
  }

  rewrap(record: DataKeyRecord): DataKeyRecord {
    if (record.masterKeyId === this.keyring.primary.id) return record;
    return this.wrap(this.unwrap(record), record.createdAt);
  }

  seal(key: DataKey, name: string, value: string): string {
    const body = encrypt(key.secret, Buffer.from(value, 'utf8'), valueAad(key, name));
    return `${SEALED_PREFIX}${key.id}:${body.toString('base64url')}`;
  }

  open(key: DataKey, name: string, sealed: string): string {
    const match = SEALED.exec(sealed);
    const plain = match && match[1] === key.id ? decrypt(key.secret, Buffer.from(match[2] as string, 'base64url'), valueAad(key, name)) : null;
    if (!plain) throw new DozenError('SECRET_UNREADABLE', `The stored value of ${name} (app ${key.ownerId}) does not open with its data key ${key.id}.`);
    return plain.toString('utf8');
  }

  dataKeyIdOf(value: string): string | null {
    return SEALED.exec(value)?.[1] ?? null;
  }

  digest(key: DataKey, value: string): string {
    // A key of its own for digests, derived from the data key: the AES key is never an HMAC key too.
    const digestKey = Buffer.from(hkdfSync('sha256', key.secret, Buffer.alloc(0), `dozen digest v1\0${key.id}`, 32));
    return createHmac('sha256', digestKey).update(value, 'utf8').digest('base64url');
  }

  private wrap(key: DataKey, createdAt: string): DataKeyRecord {
    const master = this.keyring.primary;
    const wrapped = encrypt(master.key, key.secret, wrapAad(key.id, key.ownerId)).toString('base64');
    return { id: key.id, ownerId: key.ownerId, masterKeyId: master.id, wrapped, createdAt };
  }
}

function wrapAad(dataKeyId: string, ownerId: string): string {
  return `dozen data key v1\0${dataKeyId}\0${ownerId}`;
}

function valueAad(key: DataKey, name: string): string {
  return `dozen value v1\0${key.id}\0${key.ownerId}\0${name}`;
}
