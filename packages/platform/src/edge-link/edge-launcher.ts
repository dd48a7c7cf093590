import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { LogEvent } from '../core/model.js';
import type { EvidenceRecord } from '../core/scorecard/evidence.js';
import { EdgeClient } from './edge-client.js';
import { fromWireError, PROTOCOL, type EdgeHello } from './protocol.js';
import { RemoteEdge } from './remote-edge.js';

export interface EdgeLaunch {
  socketPath: string;
  logFile: string;
  /** The edge's program (dist/edge-entry.js). */
  entry: string;
  env: NodeJS.ProcessEnv;
  onLogs(records: LogEvent[]): void;
  /** The runtime's evidence for the scorecard (issue 18). */
  onEvidence?(records: EvidenceRecord[]): void;
}

/**
 * The edge of this data dir: the running one, adopted (its apps keep running: a restart or an
 * upgrade of the control plane), or a new one started detached (it outlives this process).
 */
export async function openEdge(launch: EdgeLaunch): Promise<{ edge: RemoteEdge; adopted: boolean }> {
  const { client, hello, adopted } = await connectEdge(launch);
  return { edge: new RemoteEdge(client, launch.socketPath, hello, (previous) => connectEdge(launch, previous)), adopted };
}

/**
 * Connects to the edge that runs, or starts one and connects; checks that it speaks our protocol.
 * A new edge after a `previous` one listens on the ports it had (even when configured as 0).
 */
export async function connectEdge(launch: EdgeLaunch, previous?: EdgeHello): Promise<{ client: EdgeClient; hello: EdgeHello; adopted: boolean }> {
  let client = await tryConnect(launch);
  const adopted = client !== null;
  if (client === null) {
    const ports = previous && { DOZEN_ROUTER_PORT: String(previous.routerPort), ...(previous.routerHttpsPort > 0 ? { DOZEN_ROUTER_HTTPS_PORT: String(previous.routerHttpsPort) } : {}) };
    await startEdge(ports ? { ...launch, env: { ...launch.env, ...ports } } : launch);
    client = await tryConnect(launch);
    if (client === null) throw new DozenError('EDGE_UNAVAILABLE', `The edge started, but nothing answers on ${launch.socketPath}.`);
  }
  return { client, hello: await greet(client), adopted };
}

/** The edge's hello, checked: one that speaks another protocol is refused (and left running). */
export async function greet(client: EdgeClient): Promise<EdgeHello> {
  const hello = await client.call<EdgeHello>('hello', {});
  if (hello.protocol !== PROTOCOL) {
    client.close();
    throw new DozenError('EDGE_PROTOCOL_MISMATCH', `The running edge (pid ${hello.pid}, Dozen ${hello.version}) speaks protocol ${hello.protocol}; this platform speaks ${PROTOCOL}.`);
  }
  return hello;
}

async function tryConnect(launch: EdgeLaunch): Promise<EdgeClient | null> {
  try {
    return await EdgeClient.connect(launch.socketPath, launch.onLogs, launch.onEvidence);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED') return null;
    throw new DozenError('EDGE_UNAVAILABLE', `Cannot reach the edge on ${launch.socketPath}: ${(error as Error).message}.`);
  }
}

/** Starts the edge in a session of its own (signals to this process's group do not reach it) and waits for its word. */
function startEdge(launch: EdgeLaunch): Promise<void> {
  mkdirSync(dirname(launch.logFile), { recursive: true, mode: 0o700 });
  const log = openSync(launch.logFile, 'a', 0o600);
  const child = spawn(process.execPath, [launch.entry], { detached: true, stdio: ['ignore', log, log, 'pipe'], env: launch.env });
  closeSync(log);
  return new Promise((resolve, reject) => {
    let said = '';
    let settled = false;
    const status = child.stdio[3] as NodeJS.ReadableStream;
    status.setEncoding('utf8');
    status.on('data', (chunk: string) => (said += chunk));
    status.on('error', () => undefined);
    const settle = () => {
      if (settled) return;
      settled = true;
      const line = said.split('\n')[0] ?? '';
      child.unref();
      (status as unknown as { destroy(): void }).destroy();
      if (line === 'ready') return resolve();
      if (line.startsWith('{')) return reject(fromWireError(JSON.parse(line) as { code: string; message: string; hint?: string }));
      reject(new DozenError('EDGE_UNAVAILABLE', `The edge did not start (exit ${child.exitCode ?? 'unknown'}); its log is ${launch.logFile}.`));
    };
    status.on('data', () => {
      if (said.includes('\n')) settle();
    });
    child.once('exit', () => setImmediate(settle));
  });
}
