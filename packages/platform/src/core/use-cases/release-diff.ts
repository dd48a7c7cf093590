import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { Release } from '../model.js';
import { requireApp } from './require-app.js';

export interface Change {
  from: string | null;
  to: string | null;
}

/** What changed between two releases. Config by key names only: a value never leaves the diff. */
export interface ReleaseDiff {
  from: number;
  to: number;
  config: { added: string[]; removed: string[]; changed: string[] };
  addons: { attached: string[]; detached: string[] };
  slug: Change | null;
  build: Change | null;
  commit: Change | null;
}

/** Compares release `from` with release `to` (default: the current one). */
export async function diffReleases(deps: CoreDeps, appName: string, from: number, to: number | undefined): Promise<ReleaseDiff> {
  const app = await requireApp(deps, appName);
  const target = to ?? app.currentRelease;
  if (target === null) throw new DozenError('NO_RELEASE', `${appName} has no release yet.`);
  const [a, b] = await Promise.all([findOrFail(deps, app.id, appName, from), findOrFail(deps, app.id, appName, target)]);
  return compareReleases(a, b);
}

async function findOrFail(deps: CoreDeps, appId: string, appName: string, version: number): Promise<Release> {
  const found = await deps.store.findRelease(appId, version);
  if (!found) throw new DozenError('RELEASE_NOT_FOUND', `${appName} has no release v${version}.`);
  return found;
}

export function compareReleases(a: Release, b: Release): ReleaseDiff {
  const before = Object.keys(a.config);
  const after = Object.keys(b.config);
  const sorted = (keys: string[]) => [...keys].sort();
  const addonsBefore = new Set(a.addonVars ?? []);
  const addonsAfter = new Set(b.addonVars ?? []);
  return {
    from: a.version,
    to: b.version,
    config: {
      added: sorted(after.filter((k) => !Object.hasOwn(a.config, k))),
      removed: sorted(before.filter((k) => !Object.hasOwn(b.config, k))),
      changed: sorted(after.filter((k) => Object.hasOwn(a.config, k) && a.config[k] !== b.config[k])),
    },
    addons: {
      attached: sorted([...addonsAfter].filter((k) => !addonsBefore.has(k))),
      detached: sorted([...addonsBefore].filter((k) => !addonsAfter.has(k))),
    },
    slug: change(a.slugId, b.slugId),
    build: change(a.buildId, b.buildId),
    commit: change(a.commit, b.commit),
  };
}

function change(from: string | null, to: string | null): Change | null {
  return from === to ? null : { from, to };
}
