import { DozenError } from '@dozen/contracts/errors';

/** Built-in buildpacks by name, with Heroku's names as aliases. */
const BUILT_IN: Record<string, string> = {
  node: 'node',
  nodejs: 'node',
  'heroku/nodejs': 'node',
  'heroku/node': 'node',
  procfile: 'procfile',
  'heroku/procfile': 'procfile',
};

export type BuildpackSource =
  | { kind: 'builtin'; id: string }
  | { kind: 'path'; path: string }
  | { kind: 'git'; url: string; ref: string | null; protocol: 'https' | 'file'; path: string | null };

const REF = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/;
export const MAX_BUILDPACKS = 16;

/**
 * What a buildpack URL names: a built-in, an absolute path, or a git repository over https:// or
 * file:// with an optional `#ref`. Anything else (ssh, git://, ext::, options) is refused here,
 * before any program sees it.
 */
export function parseBuildpackUrl(raw: string): BuildpackSource {
  const url = raw.trim();
  const bad = (why: string) => new DozenError('BUILDPACK_INVALID', `Buildpack ${JSON.stringify(raw.slice(0, 200))} is not usable: ${why}.`);
  if (url === '' || url.length > 1024 || /[\s\u0000-\u001f\\]/.test(url)) throw bad('it is empty, too long, or has spaces or control characters');
  const builtin = BUILT_IN[url.toLowerCase()];
  if (builtin) return { kind: 'builtin', id: builtin };
  if (url.startsWith('/')) {
    if (url.split('/').includes('..')) throw bad('a path may not contain `..`');
    return { kind: 'path', path: url.replace(/\/+$/, '') || '/' };
  }
  const match = /^(https|file):\/\/([^#]*)(?:#(.*))?$/.exec(url);
  if (!match) throw bad('use a built-in name (node, procfile), an absolute path, or an https:// or file:// git URL');
  const [, protocol, rest, ref] = match as unknown as [string, 'https' | 'file', string, string | undefined];
  if (ref !== undefined && (!REF.test(ref) || ref.includes('..'))) throw bad(`the ref ${JSON.stringify(ref)} is not a branch, tag or commit name`);
  if (protocol === 'file') {
    if (!rest.startsWith('/') || rest.split('/').includes('..')) throw bad('a file:// URL needs an absolute path without `..`');
    return { kind: 'git', url: `file://${rest}`, ref: ref ?? null, protocol, path: rest };
  }
  if (!/^[A-Za-z0-9.-]+(:\d+)?\/[^@]*$/.test(rest)) throw bad('an https:// URL needs a host and a path (and no user info)');
  return { kind: 'git', url: `https://${rest}`, ref: ref ?? null, protocol, path: null };
}

export function parseBuildpackList(urls: string[]): BuildpackSource[] {
  if (urls.length > MAX_BUILDPACKS) throw new DozenError('BUILDPACK_INVALID', `${urls.length} buildpacks are more than the limit of ${MAX_BUILDPACKS}.`);
  return urls.map(parseBuildpackUrl);
}
