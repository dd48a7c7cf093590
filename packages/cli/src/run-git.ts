import { spawn, type ChildProcess } from 'node:child_process';
import { DozenError } from '@dozen/contracts/errors';

export interface GitOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the user's git with an argv (never a shell) in `cwd`. */
export function runGit(args: string[], cwd: string): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(args, cwd);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => reject(gitMissing(error)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Like runGit, but a failure is an error that carries git's own message. */
export async function git(args: string[], cwd: string): Promise<string> {
  const result = await runGit(args, cwd);
  if (result.code !== 0) throw new DozenError('GIT_COMMAND_FAILED', `git ${args[0]} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
  return result.stdout;
}

export function spawnGit(args: string[], cwd: string): ChildProcess {
  return spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function assertWorkTree(cwd: string): Promise<void> {
  const result = await runGit(['rev-parse', '--is-inside-work-tree'], cwd);
  if (result.code !== 0 || result.stdout.trim() !== 'true') throw new DozenError('GIT_NOT_A_REPOSITORY', `${cwd} is not inside a git work tree.`);
}

export function gitMissing(error: Error): Error {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
  return new DozenError('GIT_COMMAND_FAILED', 'git is not installed (or not on PATH).', { hint: 'Install git (e.g. `apt-get install git`) and try again.' });
}
