import type { LogEvent } from '../core/model.js';
import type { LogSink } from '../core/ports/logs.js';

/** Lines kept while no control plane is connected; past this the oldest go (and are counted). */
export const MAX_WAITING_LINES = 50_000;
/** A batch this large is sent without waiting for the end of the event-loop turn. */
const EARLY_SEND_LINES = 2_000;

/**
 * The edge's LogSink: lines of app processes and of the router go to the control plane, which
 * writes them into the log stream (LogBus). Sent once per event-loop turn (sooner in a flood;
 * none is dropped while connected: the log stream applies its own limits); while no control
 * plane is connected (a restart, an upgrade) they wait, up to MAX_WAITING_LINES, and the control
 * plane that connects next receives them, with one `dozen` line per app that lost some.
 */
export class LogForwarder implements LogSink {
  private waiting: LogEvent[] = [];
  private readonly lost = new Map<string, number>();
  private send: ((records: LogEvent[]) => void) | null = null;
  private scheduled = false;

  constructor(private readonly limit = MAX_WAITING_LINES) {}

  append(event: LogEvent): void {
    this.waiting.push(event);
    if (this.send !== null) {
      // Connected: sent this turn, or at once when a flood piles up within one turn.
      if (this.waiting.length >= EARLY_SEND_LINES) this.flush();
      else this.schedule();
    } else if (this.waiting.length > this.limit) {
      const dropped = this.waiting.shift() as LogEvent;
      this.lost.set(dropped.app, (this.lost.get(dropped.app) ?? 0) + 1);
    }
  }

  connect(send: (records: LogEvent[]) => void): void {
    this.send = send;
    for (const [app, count] of this.lost) {
      this.waiting.unshift({ app, source: 'dozen', process: 'edge', message: `${count} log lines were lost while the platform was down (more than ${this.limit} waited)` });
    }
    this.lost.clear();
    this.schedule();
  }

  disconnect(): void {
    this.send = null;
  }

  get waitingLines(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled || this.send === null) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.send === null || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.send(batch);
  }
}
