import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import { maskDrainUrl, parseDrainUrl } from '../drain-url.js';
import type { Drain, DrainKind, DrainStats } from '../model.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';

/** Heroku's limit. */
export const MAX_DRAINS_PER_APP = 5;

export interface DrainView {
  drain: Drain;
  kind: DrainKind;
  /** Safe to show: credentials masked. */
  maskedUrl: string;
  stats: DrainStats;
}

function view(deps: CoreDeps, drain: Drain): DrainView {
  return { drain, kind: parseDrainUrl(drain.url).kind, maskedUrl: maskDrainUrl(drain.url), stats: deps.drains.stats(drain.id) };
}

export async function listDrains(deps: CoreDeps, name: string): Promise<DrainView[]> {
  const app = await requireApp(deps, name);
  return (await deps.store.listDrains(app.id)).map((drain) => view(deps, drain));
}

/** Checks the URL (shape, then where it points), stores the drain and starts feeding it. */
export async function addDrain(deps: ActingDeps, name: string, url: string): Promise<DrainView> {
  const app = await requireApp(deps, name);
  parseDrainUrl(url);
  return deps.locks.run(`drains:${app.id}`, async () => {
    const existing = await deps.store.listDrains(app.id);
    if (existing.some((d) => d.url === url)) throw new DozenError('DRAIN_EXISTS', `${name} already drains to ${maskDrainUrl(url)}.`);
    if (existing.length >= MAX_DRAINS_PER_APP) throw new DozenError('DRAIN_LIMIT_REACHED', `${name} already has ${existing.length} drains.`);
    await deps.drains.verify(url);
    const drain: Drain = { id: deps.ids.next(), appId: app.id, url, createdAt: deps.clock.now().toISOString() };
    await deps.store.insertDrain(drain);
    deps.drains.start(name, drain);
    platformEvent(deps, name, 'api', `Drain ${maskDrainUrl(url)} added by ${deps.actor}`);
    return view(deps, drain);
  });
}

/** Removes a drain named by its id or its exact URL. */
export async function removeDrain(deps: ActingDeps, name: string, idOrUrl: string): Promise<DrainView> {
  const app = await requireApp(deps, name);
  const drain = (await deps.store.listDrains(app.id)).find((d) => d.id === idOrUrl || d.url === idOrUrl);
  if (!drain) throw new DozenError('DRAIN_NOT_FOUND', `${name} has no drain ${maskDrainUrl(idOrUrl)}.`);
  const last = view(deps, drain);
  await deps.store.deleteDrain(app.id, drain.id);
  await deps.drains.stop(drain.id);
  platformEvent(deps, name, 'api', `Drain ${last.maskedUrl} removed by ${deps.actor}`);
  return last;
}

/** At platform start: every stored drain is fed again. */
export async function resumeDrains(deps: CoreDeps): Promise<void> {
  for (const app of await deps.store.listApps()) for (const drain of await deps.store.listDrains(app.id)) deps.drains.start(app.name, drain);
}
