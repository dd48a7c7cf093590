import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { Sandbox } from '../shared-ports/sandbox.js';
import { bubblewrapArgs } from './bubblewrap-args.js';
import { BubblewrapSandbox } from './bubblewrap-sandbox.js';
import { openCgroups } from './cgroups/open-cgroups.js';
import { GroupLedger } from './group-ledger.js';
import { Unsandboxed } from './unsandboxed.js';

export type SandboxMode = 'auto' | 'bubblewrap' | 'none';

/**
 * The sandbox the platform runs apps in: bubblewrap when it works here (as root, for real
 * per-app uids), otherwise the unsandboxed fallback, with the reason. `bubblewrap` insists.
 */
export function openSandbox(mode: SandboxMode, stateDir: string, limits: 'auto' | 'off' = 'auto'): Sandbox {
  const problem = mode === 'none' ? 'DOZEN_SANDBOX=none' : bubblewrapProblem();
  if (problem === null) return new BubblewrapSandbox({ bwrap: BWRAP, stateDir, cgroups: openCgroups(stateDir, limits === 'off') });
  if (mode === 'bubblewrap') throw new DozenError('PLATFORM_CONFIG_INVALID', `DOZEN_SANDBOX=bubblewrap, but ${problem}.`, { hint: 'Install bubblewrap (apt-get install bubblewrap) and run the platform as root, or set DOZEN_SANDBOX=auto.' });
  // Without pid namespaces, what a `kill -9` of the last run left is ended here.
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const ledger = new GroupLedger(join(stateDir, 'unsandboxed-groups.json'));
  ledger.sweep();
  return new Unsandboxed(`unsandboxed: ${problem}`, ledger);
}

const BWRAP = '/usr/bin/bwrap';

/** Null when a sandboxed program can run here as an unprivileged user; else why not. */
function bubblewrapProblem(): string | null {
  if (process.getuid?.() !== 0) return 'the platform does not run as root, so it cannot give apps their own users';
  const args = bubblewrapArgs({ argv: ['/bin/true'], cwd: '/', uid: 65534, gid: 65534, binds: [], passwdFile: '/dev/null', groupFile: '/dev/null', initFile: null });
  const result = spawnSync(BWRAP, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000, env: {} });
  if (result.error) return (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? `bubblewrap is not installed (${BWRAP} not found)` : `bubblewrap failed: ${result.error.message}`;
  if (result.status !== 0) return `bubblewrap failed: ${result.stderr.toString().trim() || `exit code ${result.status}`}`;
  return null;
}
