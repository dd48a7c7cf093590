import { EventEmitter } from 'node:events';
import type { Notifier } from './cluster-ports.js';

/** Notifications within one process (`dozen up`): delivered after the current turn, like a commit's. */
export class LocalNotifier implements Notifier {
  private readonly events = new EventEmitter().setMaxListeners(0);

  async notify(channel: string, payload: string): Promise<void> {
    setImmediate(() => this.events.emit(channel, payload));
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const listener = (payload: string) => onPayload(payload);
    this.events.on(channel, listener);
    return async () => {
      this.events.off(channel, listener);
    };
  }
}
