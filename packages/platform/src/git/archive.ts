import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import { isCommitId } from '../core/git-refs.js';
import { runGit, spawnGit, type GitSetup } from './git-command.js';
import { parseLsTree, unsupportedEntry } from './tree-check.js';

/**
 * During pre-receive the pushed objects are still in git's quarantine directory; git hands its
 * path to the hook, which passes it on. It is accepted only as what git makes it: a
 * `tmp_objdir-incoming-*` directory right inside the repository's objects directory.
 */
export function quarantineEnv(repository: string, quarantine: string | null): Record<string, string> {
  const env: Record<string, string> = { GIT_DIR: repository };
  if (quarantine === null) return env;
  const objects = realpathSync(join(repository, 'objects'));
  let real: string;
  try {
    real = realpathSync(quarantine);
  } catch {
    throw new DozenError('GIT_COMMAND_FAILED', `The pushed objects are not where git said (${JSON.stringify(quarantine)}).`);
  }
  if (dirname(real) !== objects || !/^tmp_objdir-incoming-[A-Za-z0-9_]+$/.test(basename(real))) {
    throw new DozenError('GIT_COMMAND_FAILED', `${JSON.stringify(quarantine)} is not a quarantine directory of this repository.`);
  }
  return { ...env, GIT_OBJECT_DIRECTORY: real, GIT_ALTERNATE_OBJECT_DIRECTORIES: objects };
}

/**
 * The tree of `commit` as a tar stream (`git archive`), after checking that it holds nothing
 * Dozen refuses to deploy (submodules, nested .git directories).
 */
export async function* archiveCommit(setup: GitSetup, env: Record<string, string>, commit: string): AsyncGenerator<Uint8Array> {
  if (!isCommitId(commit)) throw new DozenError('GIT_REF_INVALID', `${JSON.stringify(commit)} is not a commit id.`);
  const listing = await runGit(setup, ['ls-tree', '-r', '-t', '-z', '--full-tree', commit], env);
  if (listing.code !== 0) throw new DozenError('GIT_COMMAND_FAILED', `git could not list commit ${commit}: ${listing.stderr.trim()}`);
  const problem = unsupportedEntry(parseLsTree(listing.stdout));
  if (problem) throw new DozenError('GIT_TREE_UNSUPPORTED', `Commit ${commit.slice(0, 7)} cannot be deployed: ${problem}.`);

  const child = spawnGit(setup, ['archive', '--format=tar', commit], env);
  child.stdin?.end();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const code = await exit;
  if (code !== 0) throw new DozenError('GIT_COMMAND_FAILED', `git archive of ${commit.slice(0, 7)} failed: ${stderr.trim() || `exit ${code}`}`);
}
