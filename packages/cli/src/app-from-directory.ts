import { DozenError } from '@dozen/contracts/errors';

/** Where a command's app comes from when -a is not given (docs/decisions.md, "The app from the directory"). */

export interface Remote {
  name: string;
  url: string;
}

const APP_NAME = /^[a-z][a-z0-9-]{1,29}$/;

/** `git remote -v` output: each remote once, with its fetch URL. */
export function parseRemotes(text: string): Remote[] {
  const remotes: Remote[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\S+)\t(.+?) \((fetch|push)\)$/.exec(line);
    if (!match || match[3] !== 'fetch') continue;
    remotes.push({ name: match[1] ?? '', url: match[2] ?? '' });
  }
  return remotes;
}

/**
 * The app a remote URL names, when it is a repository of the platform at `apiUrl`
 * (`<API URL>/git/<app>.git`, as `dozen git:remote` sets it up), else null.
 */
export function appOfRemoteUrl(url: string, apiUrl: string): string | null {
  const base = `${apiUrl.replace(/\/+$/, '')}/git/`;
  if (!url.startsWith(base)) return null;
  const match = /^([^/]+)\.git\/?$/.exec(url.slice(base.length));
  const name = match?.[1] ?? '';
  return APP_NAME.test(name) ? name : null;
}

/**
 * The app of the current repository: the remote named `wanted` (-r, else `dozen`) when it points
 * at an app of this platform; without a `dozen` remote, the one remote that does. Several such
 * remotes, or a -r remote that is missing or points elsewhere, is an APP_NOT_GIVEN error naming
 * them; no candidate at all answers null.
 */
export function appOfRemotes(remotes: Remote[], apiUrl: string, wanted: string | undefined): string | null {
  const name = wanted ?? 'dozen';
  const named = remotes.find((r) => r.name === name);
  if (named) {
    const app = appOfRemoteUrl(named.url, apiUrl);
    if (app !== null) return app;
    throw new DozenError('APP_NOT_GIVEN', `No app given, and git remote ${name} (${named.url}) is not an app of the platform at ${apiUrl}.`, {
      hint: 'Name the app with -a APP, or point the remote at it: `dozen git:remote -a APP`. (DOZEN_API_URL says which platform the CLI talks to.)',
    });
  }
  if (wanted !== undefined) {
    throw new DozenError('APP_NOT_GIVEN', `No app given, and this repository has no git remote ${JSON.stringify(wanted)}.`, { hint: `Its remotes: ${remotes.map((r) => r.name).join(', ') || 'none'}. Name the app with -a APP.` });
  }
  const candidates = remotes.flatMap((r) => {
    const app = appOfRemoteUrl(r.url, apiUrl);
    return app === null ? [] : [{ remote: r.name, app }];
  });
  if (candidates.length === 1) return candidates[0]?.app ?? null;
  if (candidates.length === 0) return null;
  const list = candidates.map((c) => `${c.app} (remote ${c.remote})`).join(', ');
  throw new DozenError('APP_NOT_GIVEN', `No app given, and the git remotes here point at several apps: ${list}.`, {
    hint: `Say which: -a APP, or -r REMOTE (e.g. -r ${candidates[0]?.remote}); or name one remote \`dozen\`.`,
  });
}
