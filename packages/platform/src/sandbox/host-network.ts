import type { AppAddress, AppNetwork } from '../shared-ports/app-network.js';

/** No isolation: app processes share the host's network and listen on its loopback. */
export class HostNetwork implements AppNetwork {
  readonly isolated = false;
  constructor(readonly note: string) {}

  prepare(): Promise<AppAddress> {
    return Promise.resolve({ host: '127.0.0.1', namespace: null, gateway: null });
  }

  remove(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
