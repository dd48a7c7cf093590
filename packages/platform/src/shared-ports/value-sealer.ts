/**
 * Between the store (which seals values on write and opens them on read) and the secrets adapter
 * (which holds the master keys and does the cryptography). No core file uses it: the core keeps
 * plain values in its model and never sees ciphertext.
 */

/** A data key as the `data_keys` table keeps it: wrapped (encrypted) under a master key. */
export interface DataKeyRecord {
  /** 16 hex digits; every ciphertext made with the key carries it. */
  id: string;
  /** The app id the key belongs to, or `platform` (the sentinel every start checks). */
  ownerId: string;
  /** The id of the master key that wraps it. */
  masterKeyId: string;
  /** base64: IV, GCM tag and the encrypted key. */
  wrapped: string;
  createdAt: string;
}

/** A data key unwrapped, in memory only. */
export interface DataKey {
  id: string;
  ownerId: string;
  secret: Buffer;
}

export interface ValueSealer {
  /** The id of the master key new data keys are wrapped under. */
  readonly primaryKeyId: string;
  /** A new random data key for `ownerId`, and its record wrapped under the primary master key. */
  createDataKey(ownerId: string, createdAt: string): { record: DataKeyRecord; key: DataKey };
  /** Throws SECRET_KEY_MISSING (no master key with its id) or SECRET_KEY_WRONG (it does not open). */
  unwrap(record: DataKeyRecord): DataKey;
  /** The record wrapped under the primary master key (the same record when it already is). */
  rewrap(record: DataKeyRecord): DataKeyRecord;
  /** `value` encrypted, bound to the key's owner and to `name` (a config var or a field). */
  seal(key: DataKey, name: string, value: string): string;
  /** The plain value; throws SECRET_UNREADABLE when it was altered or moved. */
  open(key: DataKey, name: string, sealed: string): string;
  /** The data key id a sealed value names, or null when `value` is not sealed (plain text). */
  dataKeyIdOf(value: string): string | null;
  /** A keyed digest of `value` (equal values give equal digests, per data key): unique columns. */
  digest(key: DataKey, value: string): string;
}

/** The store's data keys, for rotation: every record re-wrapped in one transaction. */
export interface DataKeyRows {
  rewrapDataKeys(rewrap: (record: DataKeyRecord) => DataKeyRecord): Promise<{ total: number; rewrapped: number }>;
}

/**
 * The platform's own secrets outside the store (the admin passwords of the add-on servers it
 * runs), sealed under the platform's sentinel data key: store -> addons.
 */
export interface SecretBox {
  isSealed(value: string): boolean;
  seal(name: string, value: string): Promise<string>;
  open(name: string, sealed: string): Promise<string>;
}
