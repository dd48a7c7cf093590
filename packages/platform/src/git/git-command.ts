import { spawn, type ChildProcess } from 'node:child_process';

/** How every git the platform runs is set up: nothing of the host's or the repository's config can run code. */
export interface GitSetup {
  /** The only hooks git may run: Dozen's own. */
  hooksDir: string;
  /** HOME for git (no user config is read from it). */
  homeDir: string;
  /** Put first on PATH, so that the hooks find the platform's Node.js. */
  nodeBinDir: string;
  /** receive.maxInputSize: git refuses a larger pack. */
  maxPushBytes: number;
}

/**
 * `-c` settings on every call (catalogue S10/B7): our hooks only, no fsmonitor, no transport
 * at all (the server never fetches), and pushed objects are checked, with `.git` and `..` tree
 * entries as errors. git passes these on to receive-pack and its hooks.
 */
export function hardening(setup: GitSetup): string[] {
  const settings: Record<string, string> = {
    'core.hooksPath': setup.hooksDir,
    'core.fsmonitor': 'false',
    'protocol.allow': 'never',
    'receive.fsckObjects': 'true',
    'receive.fsck.hasDotgit': 'error',
    'receive.fsck.hasDotdot': 'error',
    'receive.maxInputSize': String(setup.maxPushBytes),
    'uploadpack.allowFilter': 'false',
  };
  return Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
}

/** A clean environment: nothing of the platform's own reaches git or the hooks. */
export function gitEnv(setup: GitSetup, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${setup.nodeBinDir}:/usr/local/bin:/usr/bin:/bin`,
    HOME: setup.homeDir,
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

/** Spawns git with an argv (never a shell), the hardening settings and a clean environment. */
export function spawnGit(setup: GitSetup, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn('git', [...hardening(setup), ...args], { env: gitEnv(setup, env), stdio: ['pipe', 'pipe', 'pipe'] });
}

export interface GitResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs git to the end and collects its output (bounded: `maxBytes` of stdout, else it is killed). */
export function runGit(setup: GitSetup, args: string[], env: Record<string, string> = {}, maxBytes = 64 * 1024 * 1024): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(setup, args, env);
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    child.stdin?.end();
    child.stdout?.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) child.kill('SIGKILL');
      else out.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 16 * 1024) stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: size > maxBytes ? null : code, stdout: Buffer.concat(out), stderr }));
  });
}
