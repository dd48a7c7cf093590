import type { LogRecord } from '../../core/model.js';

/**
 * A drain's bounded buffer. When it is full the oldest message goes (Heroku's L10: keep the
 * newest), and the loss is remembered until a notice about it can be sent.
 */
export class DrainQueue {
  private items: LogRecord[] = [];
  private head = 0;
  dropped = 0;
  private unreported: { count: number; sinceMicros: number } | null = null;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(record: LogRecord): void {
    if (this.size >= this.capacity) {
      const oldest = this.items[this.head++] as LogRecord;
      this.noteDropped(1, oldest.timeMicros);
    }
    this.items.push(record);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Up to `max` messages, and no more text than `maxChars` (at least one message). */
  take(max: number, maxChars = Number.MAX_SAFE_INTEGER): LogRecord[] {
    let end = this.head;
    let chars = 0;
    while (end < this.items.length && end - this.head < max) {
      chars += (this.items[end] as LogRecord).message.length + 64;
      if (chars > maxChars && end > this.head) break;
      end++;
    }
    const batch = this.items.slice(this.head, end);
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return batch;
  }

  /** Counts messages lost (overflow, or refused for good by the endpoint). */
  noteDropped(count: number, sinceMicros: number): void {
    this.dropped += count;
    if (this.unreported) this.unreported.count += count;
    else this.unreported = { count, sinceMicros };
  }

  /** The loss not yet announced to the endpoint, and forget it. */
  takeUnreported(): { count: number; sinceMicros: number } | null {
    const unreported = this.unreported;
    this.unreported = null;
    return unreported;
  }
}
