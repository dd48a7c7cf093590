import type { CoreSettings } from '../core/deps.js';
import { SIZES } from '../core/process-sizes.js';

/** The settings core tests run with: small limits, the default sizes, an 8 GiB host. */
export function testCoreSettings(): CoreSettings {
  return {
    webUrl: (app: string) => `http://${app}.localhost`,
    maxProcessesPerType: 10,
    maxProcessesPerApp: 100,
    appUidBase: 70_000,
    processDefaults: { graceSeconds: 30, bootTimeoutSeconds: 60 },
    domain: 'localhost',
    apiDomain: null,
    apiRedirect: false,
    buildTimeoutMs: 60_000,
    sizes: SIZES,
    hostMemoryBytes: 8 * 1024 ** 3,
    releasePhaseTimeoutMs: 60_000,
    scorecard: true,
    stack: 'heroku-24',
  };
}
