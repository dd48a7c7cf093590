import type { CoreDeps } from '../deps.js';

/** A `dozen[...]` line in the app's log stream: what the platform did, in the user's words. */
export function platformEvent(deps: Pick<CoreDeps, 'logs'>, app: string, process: string, message: string): void {
  deps.logs.append({ app, source: 'dozen', process, message });
}
