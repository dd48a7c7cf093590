import type { CoreDeps } from '../deps.js';
import type { SecretKeyRotation } from '../ports/secret-keys.js';

/**
 * `secrets:rotate`: every data key re-wrapped under a new master key. Config values, their
 * ciphertexts and the running processes stay as they are: no release, no restart.
 */
export function rotateSecretKey(deps: CoreDeps): Promise<SecretKeyRotation> {
  return deps.secrets.rotate();
}
