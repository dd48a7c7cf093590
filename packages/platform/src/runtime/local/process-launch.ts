import { basename, dirname, join } from 'node:path';
import type { ProcessLimits, Sandbox, SandboxBind } from '../../shared-ports/sandbox.js';
import { DEFAULT_SIZE, findSize, HARD_LIMIT_FACTOR, type ProcessSize, type SizeTable } from '../../core/process-sizes.js';
import type { RunTarget } from '../../core/ports/runtime.js';
import type { AppUser } from '../../core/model.js';
import type { AppAddress } from '../../shared-ports/app-network.js';
import { envOnNetwork, loopbackPortsOf } from './addon-reach.js';
import { processEnv } from './process-env.js';

/** Everything but the stdio of how one process of an app is started. */
export interface Launch {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  user: AppUser;
  binds: SandboxBind[];
  /** The slug on the host: it must exist and be readable by the app's user. */
  slugDir: string;
  /** The network namespace it joins (null: the host's). */
  network: string | null;
  /** Where the platform connects to its PORT. */
  host: string;
  /** From the process type's size (one-offs: the default size). */
  limits: ProcessLimits;
}

export interface LaunchContext {
  sandbox: Sandbox;
  slugDir(appId: string, slugId: string): string;
  /** The platform's own Node.js (a slug without its own uses it). */
  nodeBinDir: string;
  sizes: SizeTable;
}

/** Where the slug and a build's Node.js appear in the sandbox (Heroku's /app). */
export const APP_DIR = '/app';
const NODE_DIR = '/opt/dozen/node';

/**
 * The sandbox request for process `name` of `target`: the slug read-only at /app, the Node.js
 * the build chose read-only with its bin (node, npm, npx) on PATH, the app's user, exactly the
 * documented environment.
 */
export function launchFor(context: LaunchContext, target: RunTarget, name: string, argv: string[], port: number | null, address: AppAddress): Launch {
  const slugDir = context.slugDir(target.appId, target.slugId);
  const binds: SandboxBind[] = [{ source: slugDir, target: APP_DIR, writable: false }];
  const nodeBinDir = target.runtime.nodeBinDir ?? context.nodeBinDir;
  // A Node.js under /usr is already visible at its own path. Else its whole directory is bound,
  // as laid out (<root>/bin/node; npm and npx link to ../lib/node_modules/npm).
  const whole = basename(nodeBinDir) === 'bin';
  const nodeBind = nodeBinDir.startsWith('/usr/') ? null : { source: whole ? dirname(nodeBinDir) : nodeBinDir, target: whole ? NODE_DIR : `${NODE_DIR}/bin`, writable: false };
  if (nodeBind) binds.push(nodeBind);
  const inside = (bind: SandboxBind) => context.sandbox.pathInside(bind);
  const appDir = inside(binds[0] as SandboxBind);
  const env = processEnv({
    config: target.config,
    app: target.app,
    process: name,
    release: target.release,
    slugDir: appDir,
    nodeBinDir: nodeBind ? (whole ? join(inside(nodeBind), 'bin') : inside(nodeBind)) : nodeBinDir,
    port,
  });
  const placed = address.gateway === null ? env : envOnNetwork(env, addonPortsOf(target), address.gateway);
  const type = name.split('.')[0] ?? name;
  return { argv, cwd: appDir, env: placed, user: target.user, binds, slugDir, network: address.namespace, host: address.host, limits: limitsOf(context.sizes, target.settings?.[type]?.size) };
}

/** The host loopback ports of the add-on servers attached to the target's app. */
export function addonPortsOf(target: RunTarget): number[] {
  return loopbackPortsOf(target.config, target.addonVars ?? []);
}

/** The limits of size `name` (a size no longer configured: the default size). */
export function limitsOf(sizes: SizeTable, name: string | undefined): ProcessLimits {
  const size = findSize(sizes, name ?? DEFAULT_SIZE) ?? findSize(sizes, DEFAULT_SIZE) ?? (sizes[0] as ProcessSize);
  const quota = size.memoryMb * MB;
  return { size: size.name, memoryQuotaBytes: quota, memoryLimitBytes: quota * HARD_LIMIT_FACTOR, pidsMax: size.pids, cpuWeight: size.cpuWeight, tmpBytes: size.tmpMb * MB };
}

const MB = 1024 * 1024;
