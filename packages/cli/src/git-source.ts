import { Readable } from 'node:stream';
import { DozenError } from '@dozen/contracts/errors';
import { assertWorkTree, git, runGit, spawnGit } from './run-git.js';

export interface GitSource {
  commit: string;
  stream: ReadableStream<Uint8Array>;
}

/**
 * `deploy --ref REF`: the app directory as it is in commit REF (not the working tree), packed by
 * `git archive`. In a monorepo the directory's own subtree is sent, as `deploy DIR` would.
 */
export async function archiveRef(dir: string, ref: string): Promise<GitSource> {
  await assertWorkTree(dir);
  if (ref === '' || ref.startsWith('-')) throw new DozenError('GIT_REF_NOT_FOUND', `${JSON.stringify(ref)} is not a ref: refs cannot begin with \`-\`.`);
  const resolved = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], dir);
  if (resolved.code !== 0) throw new DozenError('GIT_REF_NOT_FOUND', `${JSON.stringify(ref)} is not a commit of the repository at ${dir}.`);
  const commit = resolved.stdout.trim();
  const prefix = (await git(['rev-parse', '--show-prefix'], dir)).trim().replace(/\/+$/, '');
  const treeish = prefix ? `${commit}:${prefix}` : commit;
  if ((await runGit(['cat-file', '-e', treeish], dir)).code !== 0) {
    throw new DozenError('GIT_REF_NOT_FOUND', `${prefix} does not exist in ${ref} (${commit.slice(0, 7)}).`, { hint: 'Commit the app directory first, or deploy the working tree without --ref.' });
  }
  // From the top: in a subdirectory, git archive would limit itself to it a second time.
  const top = (await git(['rev-parse', '--show-toplevel'], dir)).trim();
  const child = spawnGit(['archive', '--format=tar.gz', treeish], top);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  async function* stream(): AsyncGenerator<Buffer> {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    const code = await exit;
    if (code !== 0) throw new DozenError('GIT_COMMAND_FAILED', `git archive failed: ${stderr.trim() || `exit ${code}`}`);
  }
  return { commit, stream: Readable.toWeb(Readable.from(stream())) as ReadableStream<Uint8Array> };
}
