import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { DOZEN_VERSION } from '@dozen/contracts/version';
import type { DataDirLayout } from '@dozen/contracts/node';
import type { PlatformConfig } from '../config.js';
import type { CoreDeps } from '../core/deps.js';
import type { Clock } from '../core/ports/clock.js';
import type { SecretKeys } from '../core/ports/secret-keys.js';
import type { AcmeChallenges } from '../shared-ports/acme-challenges.js';
import { generateToken, issueAdminToken } from '../core/use-cases/tokens.js';
import { loopbackOf } from '../edge-main.js';
import { AcmeClientIssuer } from '../acme/acme-issuer.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { openConfiguredStore } from '../store/open-store.js';
import { loadKeyring } from '../secrets/key-file.js';
import { MasterKeyRotation } from '../secrets/master-key-rotation.js';
import { SecretSealer } from '../secrets/sealer.js';

// The parts every role's graph is made of (platform-graph.ts puts them together): the store and
// its keys, the data dir, the core's settings, the admin token, the clock.

/** The built dashboard (packages/dashboard/dist, next to this package), served by the API at `/`. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/dist/', import.meta.url));

/** What the core is told about the platform (CoreSettings), from the config. */
export function coreSettings(config: PlatformConfig, routerPort: () => number): CoreDeps['settings'] {
  return {
    webUrl: (app) => webUrl(config, app, routerPort()),
    maxProcessesPerType: config.maxProcessesPerType,
    maxProcessesPerApp: config.maxProcessesPerApp,
    appUidBase: config.appUidBase,
    processDefaults: { graceSeconds: config.graceMs / 1000, bootTimeoutSeconds: config.bootTimeoutMs / 1000 },
    domain: config.domain,
    apiDomain: config.apiDomain,
    apiRedirect: config.apiHttpMode === 'redirect' && config.routerHttpsPort !== null,
    buildTimeoutMs: config.buildTimeoutMs,
    sizes: config.sizes,
    hostMemoryBytes: totalmem(),
    releasePhaseTimeoutMs: config.releasePhaseTimeoutMs,
    scorecard: config.scorecard,
    stack: config.stack,
  };
}

/** Automatic certificates, when the router serves HTTPS and a CA is configured (its scheduler is set once `deps` exists). */
export function acmeFor(config: PlatformConfig, challenges: AcmeChallenges): CoreDeps['acme'] {
  if (config.routerHttpsPort === null || config.acme.directory === null) return null;
  const issuer = new AcmeClientIssuer({ directory: config.acme.directory, email: config.acme.email, challenges });
  return { issuer, retryBaseMs: config.acme.retryBaseMs, scheduler: { kick: () => undefined } };
}

/**
 * The master keys (DOZEN_SECRET_KEY or the key file) and the store they must open: checked before
 * anything is written; the key file of a first start is written only then.
 */
export async function openStore(config: PlatformConfig, layout: DataDirLayout, logger: Logger): Promise<{ store: KyselyStore; secrets: SecretKeys }> {
  const keys = loadKeyring(config.secretKeys, layout.secretKey);
  const sealer = new SecretSealer(keys.keyring);
  let created = false;
  const keysAccepted = () => {
    mkdirSync(layout.root, { recursive: true, mode: 0o700 });
    created = keys.create();
  };
  // A data dir a newer Dozen wrote is refused before anything is written; VERSION follows the migrations.
  const store = await openConfiguredStore(config.store, layout.root, DOZEN_VERSION, { sealer, keysAccepted });
  const source = created ? `the key file ${layout.secretKey}, created now` : keys.keyring.source;
  logger.info({ secretKeyId: sealer.primaryKeyId }, `Secrets at rest: master key id ${sealer.primaryKeyId} (${source})`);
  return { store, secrets: new MasterKeyRotation({ keyring: keys.keyring, keyFile: keys.keyFile, rows: store, sealer }) };
}

/** Creates the parts of the data dir the platform writes from the start (the layout: contracts/node/data-dir.ts). */
export function prepareDataDir(dirs: DataDirLayout): DataDirLayout {
  mkdirSync(dirs.root, { recursive: true, mode: 0o700 });
  // Sources and build scratch left by a stop in the middle of an upload are never resumed.
  rmSync(dirs.sources, { recursive: true, force: true });
  rmSync(dirs.builds, { recursive: true, force: true });
  rmSync(dirs.runtimesScratch, { recursive: true, force: true });
  for (const dir of [dirs.sources, dirs.builds, dirs.slugs, dirs.cache, dirs.runtimes, dirs.logs]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Node.js versions and package managers are public downloads, bound read-only into every app's
  // sandboxed builds and processes: their users must be able to enter the directory.
  chmodSync(dirs.runtimes, 0o755);
  return dirs;
}

export async function ensureAdminToken(file: string, deps: CoreDeps): Promise<string> {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch {
    token = generateToken();
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
  }
  await issueAdminToken(deps, token);
  return file;
}

export function webUrl(config: PlatformConfig, app: string, routerPort: number): string {
  return `http://${app}.${config.domain}${routerPort === 80 ? '' : `:${routerPort}`}`;
}

export function urlHost(host: string): string {
  const reached = loopbackOf(host);
  return reached.includes(':') ? `[${reached}]` : reached;
}

/** The host's clock and timers: the core takes time only from here. */
export const systemClock: Clock = {
  now: () => new Date(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
