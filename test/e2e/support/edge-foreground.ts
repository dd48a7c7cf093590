import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './platform.js';

/** A role's process in the foreground (the router's edge, a runtime role), its output, its exit. */
export interface RoleProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `node args` with `env` and resolves once its output says `ready` (rejects if it exits first). */
export function startRoleProcess(args: string[], env: Record<string, string | undefined>, ready: string): Promise<RoleProcess> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, cwd: join(ROOT, 'packages', 'platform'), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes(ready)) {
        clearInterval(timer);
        resolve({ child, output: () => output, exited });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`exited before "${ready}": ${output}`));
      }
    }, 50);
  });
}

/** The router role: the compiled edge (dist/edge-main.js) in the foreground at `dataDir`, unsandboxed, router on a free port. */
export function startRouter(dataDir: string, stopAppsOnSignal: boolean): Promise<RoleProcess> {
  const entry = pathToFileURL(join(ROOT, 'packages', 'platform', 'dist', 'edge-main.js')).href;
  const script = `const m = await import(${JSON.stringify(entry)}); await m.edgeMain({ stopAppsOnSignal: ${stopAppsOnSignal} });`;
  const env = { DOZEN_DATA_DIR: dataDir, DOZEN_ROUTER_PORT: '0', DOZEN_ROUTER_HTTPS_PORT: 'off', DOZEN_SANDBOX: 'none', DOZEN_NETWORK_ISOLATION: 'off', DOZEN_GRACE_PERIOD: '2' };
  return startRoleProcess(['--input-type=module', '-e', script], env, 'Dozen edge is up');
}
