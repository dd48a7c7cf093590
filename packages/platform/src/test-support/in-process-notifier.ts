import { EventEmitter } from 'node:events';
import type { Notifier } from '../cluster/cluster-ports.js';

/** A Notifier within one process (tests): what PostgreSQL's LISTEN/NOTIFY gives across processes. */
export class InProcessNotifier implements Notifier {
  private readonly events = new EventEmitter().setMaxListeners(0);
  /** Notifications sent, per channel (tests check that wake-ups happen). */
  readonly sent = new Map<string, number>();

  async notify(channel: string, payload: string): Promise<void> {
    this.sent.set(channel, (this.sent.get(channel) ?? 0) + 1);
    this.events.emit(channel, payload);
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    this.events.on(channel, onPayload);
    return async () => void this.events.off(channel, onPayload);
  }
}

/** A Notifier that never delivers (a lost NOTIFY): only the queue's poll wakes anyone. */
export const SILENT_NOTIFIER: Notifier = {
  notify: async () => undefined,
  listen: async () => async () => undefined,
};
