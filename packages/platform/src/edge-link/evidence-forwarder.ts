import type { EvidenceRecord, EvidenceSink } from '../core/scorecard/evidence.js';

/** Records kept while no control plane is connected; past this the oldest go. */
export const MAX_WAITING_EVIDENCE = 10_000;

/**
 * The edge's EvidenceSink (issue 18): what processes showed of the twelve factors goes to the
 * control plane as `evidence` events (protocol.ts), once per event-loop turn. While none is
 * connected, only the newest record per release, process and kind waits (the store keeps no more),
 * up to MAX_WAITING_EVIDENCE.
 */
export class EvidenceForwarder implements EvidenceSink {
  private readonly waiting = new Map<string, EvidenceRecord>();
  private send: ((records: EvidenceRecord[]) => void) | null = null;
  private scheduled = false;

  constructor(private readonly limit = MAX_WAITING_EVIDENCE) {}

  report(record: EvidenceRecord): void {
    const key = `${record.appId}\0${record.release}\0${record.process}\0${record.kind}`;
    this.waiting.delete(key);
    this.waiting.set(key, record);
    if (this.waiting.size > this.limit) this.waiting.delete(this.waiting.keys().next().value as string);
    this.schedule();
  }

  connect(send: (records: EvidenceRecord[]) => void): void {
    this.send = send;
    this.schedule();
  }

  disconnect(): void {
    this.send = null;
  }

  private schedule(): void {
    if (this.scheduled || this.send === null) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.send === null || this.waiting.size === 0) return;
      const batch = [...this.waiting.values()];
      this.waiting.clear();
      this.send(batch);
    });
  }
}
