import { DozenError } from '@dozen/contracts/errors';
import type { SecretKeyRotation, SecretKeys } from '../core/ports/secret-keys.js';
import type { DataKeyRows, ValueSealer } from '../shared-ports/value-sealer.js';
import { writeKeyFile } from './key-file.js';
import { generateMasterKey, type Keyring } from './master-keys.js';

export interface RotationDeps {
  keyring: Keyring;
  /** null: the keys come from DOZEN_SECRET_KEY, which the operator changes. */
  keyFile: string | null;
  rows: DataKeyRows;
  sealer: ValueSealer;
}

/**
 * `secrets:rotate`. Key file: a new master key is written first (beside the old one), every data key
 * is re-wrapped under it in one transaction, then the file keeps the new key only. Environment:
 * the first key of DOZEN_SECRET_KEY is the new one; every data key is re-wrapped under it, and
 * the others are reported as removable. Values and their ciphertexts do not change (the data keys
 * stay the same), so nothing restarts and no release is made.
 */
export class MasterKeyRotation implements SecretKeys {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RotationDeps) {}

  rotate(): Promise<SecretKeyRotation> {
    const next = this.running.then(() => this.rotateNow());
    this.running = next.catch(() => undefined);
    return next;
  }

  private async rotateNow(): Promise<SecretKeyRotation> {
    const { keyring, keyFile, rows, sealer } = this.deps;
    if (keyFile !== null) {
      const fresh = generateMasterKey();
      writeKeyFile(keyFile, [fresh, ...keyring.all]);
      keyring.promote(fresh);
    }
    let { total, rewrapped } = await rows.rewrapDataKeys((record) => sealer.rewrap(record));
    // A data key wrapped under the old key just before the switch may be inserted after the pass:
    // passes repeat until one finds nothing left, before the old key is let go.
    for (let pass = 0; pass < 5; pass++) {
      const again = await rows.rewrapDataKeys((record) => sealer.rewrap(record));
      total = again.total;
      rewrapped += again.rewrapped;
      if (again.rewrapped === 0) break;
    }
    if (keyFile === null) {
      const others = keyring.ids.slice(1);
      if (rewrapped === 0 && others.length === 0) {
        throw new DozenError('SECRET_ROTATE_NEEDS_NEW_KEY', `Every data key is already wrapped under master key id ${keyring.primary.id}, the only key in DOZEN_SECRET_KEY.`);
      }
      return { keyId: keyring.primary.id, source: 'env', dataKeys: total, rewrapped, retiredKeyIds: others };
    }
    const retired = keyring.dropOld();
    writeKeyFile(keyFile, [keyring.primary]);
    return { keyId: keyring.primary.id, source: 'file', dataKeys: total, rewrapped, retiredKeyIds: retired };
  }
}
