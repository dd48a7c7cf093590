import { DozenError } from '@dozen/contracts/errors';
import type { EdgeMaker } from '../edge-wiring.js';
import type { EdgeHello } from '../edge-link/protocol.js';
import { RemoteEdge } from '../edge-link/remote-edge.js';
import { LeaderLink, type LeaderLinkOptions } from './leader-link.js';

/**
 * An api's EdgeServices (issue 19): a RemoteEdge over the LeaderLink, i.e. through the relay of
 * whichever runtime process leads; `hello()` answers the last leader's greeting.
 */
export class LeaderEdge extends RemoteEdge {
  constructor(readonly link: LeaderLink) {
    super(link, () => link.address(), link.hello(), () => Promise.reject(new DozenError('RUNTIME_UNREACHABLE', 'The link to the runtime leader reconnects by itself.')));
  }

  override hello(): EdgeHello {
    return this.link.hello();
  }
}

/**
 * The EdgeMaker of `dozen serve api`: the edge is reached through the runtime leader's relay. It
 * waits up to `waitMs` (default 30 s) for a leader at start, and starts without one otherwise
 * (calls wait for one then). `adopted` is true: stopping an api never stops apps.
 */
export function leaderEdge(options: LeaderLinkOptions): EdgeMaker {
  return async () => {
    const link = new LeaderLink(options);
    await link.ready(options.waitMs ?? 30_000);
    return { edge: new LeaderEdge(link), local: null, adopted: true };
  };
}
