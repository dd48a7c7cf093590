import { DozenError, errorCatalogue, type ErrorCode } from '@dozen/contracts/errors';
import type { EvidenceRecord } from '../core/scorecard/evidence.js';

/**
 * The control plane and the edge talk over a WebSocket on a Unix socket in the data dir
 * (docs/decisions.md, "Apps outlive the control plane"). Text frames carry JSON:
 * - calls: `{id, method, params}`, answered `{id, result}` or `{id, error}`;
 * - notices from the control plane: `{method, params}` (no id, no answer; the ports they serve
 *   return nothing, and the socket keeps them in order);
 * - events from the edge: `{event, ...}` (a rollout's progress; since protocol 2 the runtime's
 *   evidence for the scorecard, issue 18), and log lines as binary messages (log-batch.ts).
 * A one-off process gets a WebSocket of its own (`/one-off`), see remote-one-off.ts.
 *
 * PROTOCOL changes whenever a message changes meaning: a control plane refuses to drive an edge
 * that speaks another version, and says how to replace it.
 * 2: `setMaintenance {app, on}` (maintenance mode, issue 17).
 */
export const PROTOCOL = 2;

export const CONTROL_PATH = '/control';
/** The reason of the close frame an edge sends to a control connection a newer one replaced. */
export const REPLACED = 'replaced by a newer control plane';
export const ONE_OFF_PATH = '/one-off';

export interface CallMessage {
  id?: number;
  method: string;
  params: unknown;
}

export interface ResultMessage {
  id: number;
  result?: unknown;
  error?: WireError;
}

/** A rollout's progress; log lines travel as binary messages (log-batch.ts). */
export type EventMessage = { event: 'progress'; id: number; line: string } | EvidenceMessage;

/** What app processes showed of the twelve factors (issue 18), newest per release, process and kind. */
export interface EvidenceMessage {
  event: 'evidence';
  records: EvidenceRecord[];
}

export interface WireError {
  code: string;
  message: string;
  hint?: string;
}

/** What the edge answers to `hello`: who it is and where its router listens. */
export interface EdgeHello {
  protocol: number;
  version: string;
  pid: number;
  startedAt: string;
  routerPort: number;
  /** 0 when the HTTPS listener is off. */
  routerHttpsPort: number;
  /** What apps run with here, as the start log says it. */
  notes: {
    sandbox: { kind: string; note: string };
    network: { isolated: boolean; note: string };
    limits: string;
  };
}

export function toWireError(error: unknown): WireError {
  if (error instanceof DozenError) return { code: error.code, message: error.message, hint: error.hint };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

export function fromWireError(wire: WireError): Error {
  if (wire.code in errorCatalogue) return new DozenError(wire.code as ErrorCode, wire.message, { hint: wire.hint });
  return new Error(wire.message);
}

/**
 * Where an edge-link server listens: the edge's Unix socket (a path), or a runtime leader's relay
 * over TCP (issue 19: `ws://host:port`, with the cluster token as a Bearer header on the upgrade).
 */
export type EdgeAddress = string | { url: string; token: string };

/** The WebSocket URL of `path` (CONTROL_PATH, ONE_OFF_PATH) at `address`. */
export function linkUrl(address: EdgeAddress, path: string): string {
  return typeof address === 'string' ? socketUrl(address, path) : `${address.url.replace(/\/+$/, '')}${path}`;
}

/** The headers of the upgrade: the cluster token for a relay, none for the edge's socket. */
export function linkHeaders(address: EdgeAddress): Record<string, string> {
  return typeof address === 'string' ? {} : { authorization: `Bearer ${address.token}` };
}

/** The edge's control socket as `ws` spells a Unix socket address. */
export function socketUrl(socketPath: string, path: string): string {
  return `ws+unix:${socketPath}:${path}`;
}
