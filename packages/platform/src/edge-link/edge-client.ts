import WebSocket from 'ws';
import { DozenError } from '@dozen/contracts/errors';
import type { LogEvent } from '../core/model.js';
import type { EvidenceRecord } from '../core/scorecard/evidence.js';
import { decodeLogBatch } from './log-batch.js';
import { CONTROL_PATH, fromWireError, linkHeaders, linkUrl, REPLACED, type EdgeAddress, type EventMessage, type ResultMessage } from './protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  progress?: (line: string) => void;
}

/** What RemoteEdge drives: one control connection (EdgeClient), or one that follows the runtime leader (cluster/leader-link.ts). */
export interface EdgeCalls {
  readonly closed: Promise<void>;
  /** Whether the edge closed this connection because another control connection replaced it. */
  readonly replaced?: boolean;
  call<T>(method: string, params: unknown, progress?: (line: string) => void): Promise<T>;
  notify(method: string, params: unknown): void;
  close(): void;
}

/**
 * The control plane's end of the control connection: calls with answers, notices in order, the
 * edge's log lines. When the connection ends, every call waiting fails with EDGE_UNAVAILABLE, as
 * does every call after it, and `closed` resolves.
 */
export class EdgeClient implements EdgeCalls {
  readonly closed: Promise<void>;
  replaced = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private open = true;

  private constructor(
    private readonly ws: WebSocket,
    onLogs: (records: LogEvent[]) => void,
    private readonly onEvidence: (records: EvidenceRecord[]) => void,
  ) {
    ws.on('message', (data: Buffer, binary) => {
      if (binary) onLogs(decodeLogBatch(data));
      else this.receive(JSON.parse(data.toString()) as ResultMessage | EventMessage);
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (_code, reason) => {
        this.open = false;
        this.replaced = reason.toString() === REPLACED;
        for (const call of this.pending.values()) call.reject(unavailable('the connection to the edge closed'));
        this.pending.clear();
        resolve();
      });
    });
    ws.on('error', () => undefined);
  }

  /** Connects to the edge's socket (or a relay); rejects (with the errno code) when nothing listens there. */
  static connect(address: EdgeAddress, onLogs: (records: LogEvent[]) => void, onEvidence: (records: EvidenceRecord[]) => void = () => undefined): Promise<EdgeClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(linkUrl(address, CONTROL_PATH), { maxPayload: 256 * 1024 * 1024, headers: linkHeaders(address) });
      ws.once('open', () => {
        ws.removeListener('error', reject);
        resolve(new EdgeClient(ws, onLogs, onEvidence));
      });
      ws.once('error', reject);
    });
  }

  call<T>(method: string, params: unknown, progress?: (line: string) => void): Promise<T> {
    if (!this.open) return Promise.reject(unavailable('the edge is not connected'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, progress });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** A call whose answer nobody waits for (the ports that return nothing); order is kept. */
  notify(method: string, params: unknown): void {
    if (this.open) this.ws.send(JSON.stringify({ method, params }));
  }

  close(): void {
    this.ws.close();
  }

  private receive(message: ResultMessage | EventMessage): void {
    if ('event' in message) {
      if (message.event === 'evidence') this.onEvidence(message.records);
      else this.pending.get(message.id)?.progress?.(message.line);
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if (message.error) call.reject(fromWireError(message.error));
    else call.resolve(message.result);
  }
}

function unavailable(why: string): DozenError {
  return new DozenError('EDGE_UNAVAILABLE', `The edge (router and app processes) is unavailable: ${why}.`);
}
