import { generateMasterKey, Keyring } from '../secrets/master-keys.js';
import { SecretSealer } from '../secrets/sealer.js';
import type { StoreSecrets } from '../store/sqlite.js';

/** Store secrets for tests: a sealer with a fresh master key held in memory only. */
export function testSecrets(): StoreSecrets {
  return { sealer: new SecretSealer(new Keyring([generateMasterKey()], 'a test key')) };
}
