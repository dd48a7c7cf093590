import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliResult, TestPlatform } from './platform.js';
import { ROOT } from './platform.js';

export const DOZEN_BIN = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');

/**
 * The real git client, as a user on the platform's host runs it: no system or global config,
 * no prompts, and the environment `dozen git:credential` needs to find the admin token.
 */
export function gitEnv(platform: TestPlatform, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(platform.dataDir, 'git-user-home'),
    XDG_CONFIG_HOME: join(platform.dataDir, 'cli-config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Dozen Test',
    GIT_AUTHOR_EMAIL: 'test@dozen.invalid',
    GIT_COMMITTER_NAME: 'Dozen Test',
    GIT_COMMITTER_EMAIL: 'test@dozen.invalid',
    LANG: 'C',
    DOZEN_API_URL: platform.apiUrl,
    DOZEN_DATA_DIR: platform.dataDir,
    ...extra,
  };
}

export interface Git {
  (args: string[], extra?: Record<string, string>): Promise<CliResult>;
  /** Like calling it, but fails the test on a non-zero exit; answers stdout. */
  ok(args: string[], extra?: Record<string, string>): Promise<string>;
  spawn(args: string[], extra?: Record<string, string>): ChildProcess;
}

/** git in `cwd` against `platform`. */
export function gitIn(platform: TestPlatform, cwd: string): Git {
  const spawnGit = (args: string[], extra: Record<string, string> = {}) =>
    spawn('git', args, { cwd, env: gitEnv(platform, extra), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const run = (args: string[], extra: Record<string, string> = {}) =>
    new Promise<CliResult>((done) => {
      const child = spawnGit(args, extra);
      child.stdin?.end();
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
  const git = run as Git;
  git.ok = async (args, extra) => {
    const result = await run(args, extra);
    if (result.code !== 0) throw new Error(`git ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  };
  git.spawn = spawnGit;
  return git;
}

/** A new repository on branch main holding a copy of an example app, committed. */
export async function exampleRepo(platform: TestPlatform, dir: string, example = 'node-web'): Promise<Git> {
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'examples', example), dir, { recursive: true });
  const git = gitIn(platform, dir);
  await git.ok(['init', '--quiet', '--initial-branch=main']);
  await commitAll(git, `${example} as committed`);
  return git;
}

export async function commitAll(git: Git, message: string): Promise<string> {
  await git.ok(['add', '--all']);
  await git.ok(['commit', '--quiet', '--allow-empty', '-m', message]);
  return (await git.ok(['rev-parse', 'HEAD'])).trim();
}

/**
 * package.json of node-web with a build script that prints `build-step-1 at <epoch ms>`, waits
 * `ms`, then prints `build-step-2 at <epoch ms>` (computed, so that npm's echo of the script does
 * not contain them; the times say when the build really ran).
 */
export function slowBuild(dir: string, ms: number): void {
  const script = `node -e "const s = (n) => ['build', 'step', n].join('-'); console.log(s(1), 'at', Date.now()); setTimeout(() => console.log(s(2), 'at', Date.now()), ${ms})"`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'node-web', version: '1.0.0', private: true, scripts: { start: 'node server.js', build: script } }, null, 2)}\n`);
}

/** The credential helper config of `dozen git:remote`, for git commands run outside such a repository. */
export function helperConfig(platform: TestPlatform): string[] {
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  const helper = `!${[process.execPath, DOZEN_BIN, 'git:credential', '--api-url', platform.apiUrl].map(quote).join(' ')}`;
  return ['-c', `credential.${platform.apiUrl}.helper=${helper}`];
}
