import { randomUUID } from 'node:crypto';
import { formatLogTime } from '../../core/log-time.js';
import type { DrainStats, LogRecord } from '../../core/model.js';
import { DrainQueue } from './drain-queue.js';
import { syslogMessage } from './syslog-frame.js';

/** One batch on its way: the same batch (and id) is sent again on a retry. */
export interface Batch {
  id: string;
  records: LogRecord[];
  /** RFC 5424 messages: the records', after an overflow notice if there is one. */
  messages: string[];
}

export type SendResult = { kind: 'delivered' } | { kind: 'refused'; error: string } | { kind: 'retry'; error: string };

export interface Transport {
  readonly batchSize: number;
  /** Text per batch, roughly (messages are up to 10 000 bytes). */
  readonly batchChars: number;
  send(batch: Batch): Promise<SendResult>;
  close(): void;
}

export interface Backoff {
  baseMs: number;
  maxMs: number;
  random: () => number;
}

/**
 * Feeds one drain: a bounded queue in front, one batch in flight, retries with jittered
 * exponential backoff. It never pushes back on whoever appends: a slow or dead endpoint only
 * makes the queue drop its oldest messages, which are counted and announced later.
 * Invariant: messages given = delivered + dropped + queued.
 */
export class DrainWorker {
  private readonly queue: DrainQueue;
  private delivered = 0;
  private retries = 0;
  private lastError: string | null = null;
  private lastErrorAt: string | null = null;
  private inFlight: Batch | null = null;
  private wakeUp: (() => void) | null = null;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    readonly id: string,
    private readonly transport: Transport,
    capacity: number,
    private readonly backoff: Backoff,
  ) {
    this.queue = new DrainQueue(capacity);
    this.done = this.run();
  }

  push(record: LogRecord): void {
    this.queue.push(record);
    this.wakeUp?.();
  }

  stats(): DrainStats {
    return {
      delivered: this.delivered,
      dropped: this.queue.dropped,
      retries: this.retries,
      queued: this.queue.size + (this.inFlight?.records.length ?? 0),
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    this.transport.close();
    await this.done;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      if (!this.inFlight) {
        if (this.queue.size === 0) {
          await new Promise<void>((resolve) => (this.wakeUp = resolve));
          this.wakeUp = null;
          continue;
        }
        this.inFlight = this.nextBatch();
      }
      const batch = this.inFlight;
      const result = await this.transport.send(batch);
      if (this.stopped) break;
      if (result.kind === 'retry') {
        this.retries += 1;
        this.noteError(result.error);
        await this.sleep(delay(attempt++, this.backoff));
        continue;
      }
      attempt = 0;
      this.inFlight = null;
      if (result.kind === 'delivered') {
        this.delivered += batch.records.length;
      } else {
        // Refused for good (a 4xx): sending it again would fail again.
        this.queue.dropped += batch.records.length;
        this.noteError(result.error);
      }
    }
  }

  private nextBatch(): Batch {
    const records = this.queue.take(this.transport.batchSize, this.transport.batchChars);
    const messages = records.map(syslogMessage);
    const lost = this.queue.takeUnreported();
    if (lost) {
      const first = records[0];
      const notice = `Error L10 (output buffer overflow): ${lost.count} messages dropped since ${formatLogTime(lost.sinceMicros)}`;
      if (first) messages.unshift(syslogMessage({ ...first, source: 'dozen', process: 'logs', message: notice }));
    }
    return { id: randomUUID(), records, messages };
  }

  private noteError(error: string): void {
    this.lastError = error;
    this.lastErrorAt = new Date().toISOString();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        if (this.stopped) {
          clearTimeout(timer);
          resolve();
        }
      };
    }).then(() => {
      this.wakeUp = null;
    });
  }
}

/** Exponential with full jitter between half and one and a half of the step. */
export function delay(attempt: number, backoff: Backoff): number {
  const step = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(step * (0.5 + backoff.random()));
}
