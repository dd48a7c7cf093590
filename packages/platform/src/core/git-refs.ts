import { DozenError } from '@dozen/contracts/errors';

/**
 * Which refs a push may update, by name. Narrower than git's own rules on purpose: a branch name
 * ends up in output, logs and git argv, so only plain characters are accepted, and a name is
 * refused rather than transformed.
 */
export type RefName = { kind: 'branch' | 'tag'; name: string };

export const DEFAULT_DEPLOY_BRANCHES = ['main', 'master'] as const;
const MAX_NAME = 200;
const ALLOWED = /^[A-Za-z0-9._/-]+$/;

/** The branches whose pushes deploy: the app's own setting, or main and master. */
export function deployBranches(setting: string | null): string[] {
  return setting === null ? [...DEFAULT_DEPLOY_BRANCHES] : [setting];
}

/** `refs/heads/x` -> branch x, `refs/tags/x` -> tag x; anything else, or a bad name, is refused. */
export function parseRef(ref: string): RefName {
  const match = /^refs\/(heads|tags)\/(.*)$/s.exec(ref);
  if (!match) throw new DozenError('GIT_REF_INVALID', `Ref ${JSON.stringify(ref)} is not accepted: only branches (refs/heads/...) and tags (refs/tags/...) can be pushed.`);
  const kind = match[1] === 'heads' ? 'branch' : 'tag';
  const name = match[2] as string;
  const problem = nameProblem(name);
  if (problem) throw new DozenError('GIT_REF_INVALID', `${kind === 'branch' ? 'Branch' : 'Tag'} ${JSON.stringify(name)} is not accepted: it ${problem}.`);
  return { kind, name };
}

export function assertBranchName(name: string): void {
  const problem = nameProblem(name);
  if (problem) throw new DozenError('GIT_REF_INVALID', `Branch ${JSON.stringify(name)} is not accepted: it ${problem}.`);
}

function nameProblem(name: string): string | null {
  if (name === '') return 'is empty';
  if (name.length > MAX_NAME) return `is longer than ${MAX_NAME} characters`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'contains a control character';
  if (name.startsWith('-')) return 'begins with `-`';
  if (name.includes('..')) return 'contains `..`';
  if (!ALLOWED.test(name)) return 'contains characters other than letters, digits, `.`, `_`, `-` and `/`';
  for (const part of name.split('/')) {
    if (part === '') return 'has an empty path segment';
    if (part.startsWith('.') || part.startsWith('-')) return `has a segment (${JSON.stringify(part)}) that begins with \`.\` or \`-\``;
    if (part.endsWith('.') || part.endsWith('.lock')) return `has a segment (${JSON.stringify(part)}) that ends with \`.\` or \`.lock\``;
  }
  if (name === 'HEAD') return 'is HEAD, which git reserves';
  return null;
}

/** Commit ids as git writes them: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits. */
export function isCommitId(value: string): boolean {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value);
}

export function isZeroCommit(value: string): boolean {
  return /^0+$/.test(value);
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}
