/** What `secrets:rotate` did: every data key re-wrapped under the new master key. */
export interface SecretKeyRotation {
  /** The master key id every data key is wrapped under now. */
  keyId: string;
  /** Where the master keys live: the key file in the data dir, or DOZEN_SECRET_KEY. */
  source: 'file' | 'env';
  /** Data keys in the store (one per app, and the platform's sentinel). */
  dataKeys: number;
  /** Of those, the ones that were under another master key and were re-wrapped. */
  rewrapped: number;
  /** Master key ids that nothing needs any more: deleted from the key file, or to remove from DOZEN_SECRET_KEY. */
  retiredKeyIds: string[];
}

/** The master keys of the secrets at rest (the secrets adapter). */
export interface SecretKeys {
  rotate(): Promise<SecretKeyRotation>;
}
