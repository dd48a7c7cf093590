import { DozenError } from '@dozen/contracts/errors';
import type { AddonResource } from '../core/model.js';

/** A server add-ons live on: the platform's own or one given by an admin URL. */
export interface AddonServer {
  /** `embedded`/`managed` for the platform's own, `external HOST:PORT` for another. */
  readonly id: string;
  readonly kind: string;
  adminUrl(): Promise<string>;
}

/**
 * The server an add-on was made on (recorded in its resource as `server`): the current one, or the
 * platform's own server kept running for add-ons made before an admin URL was set. An add-on on a
 * server the platform no longer knows is refused, never acted on elsewhere (a drop on the wrong
 * server would report success and leave the data behind). Records without `server` predate it.
 */
export function serverFor<T extends AddonServer>(resource: AddonResource, current: T, others: readonly T[], service: string, variable: string): T {
  const recorded = resource.server;
  if (recorded === undefined || recorded === current.id) return current;
  const found = others.find((server) => server.id === recorded);
  if (found) return found;
  throw new DozenError(
    'ADDON_SERVER_CHANGED',
    `This ${service} add-on lives on ${describe(recorded)}, but the platform now uses ${describe(current.id)} (${variable}); nothing was changed.`,
  );
}

function describe(id: string): string {
  return id.startsWith('external ') ? `the server at ${id.slice('external '.length)}` : "the platform's own server";
}
