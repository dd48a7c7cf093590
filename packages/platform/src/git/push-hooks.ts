import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { App, RefUpdate } from '../core/model.js';
import type { OutputWriter } from '../core/ports/build.js';
import type { Push, PushVerdict } from '../core/ports/git.js';
import { PushLine } from './push-line.js';

/** What the hook of one push may do: push to this app, once. */
interface Session {
  app: App;
  repository: string;
  /** Who pushed (GitRequest.user). */
  pusher: string;
  used: boolean;
  /** Resolves when git has finished with the push (http-backend exited). */
  ended: Promise<void>;
}

export interface HookMessage {
  updates: RefUpdate[];
  quarantine: string | null;
}

export interface PushHooksOptions {
  /** Where the socket should be; a path too long for a Unix socket falls back to a temp dir. */
  socketPath: string;
  /** Makes the Push for the core: the repository's refs and archive reader. */
  preparePush(session: { app: App; repository: string; pusher: string }, message: HookMessage, output: OutputWriter): Promise<Push>;
  receive(push: Push): Promise<PushVerdict>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * The channel between git's pre-receive hook and the platform: an HTTP server on a Unix socket
 * that only the platform's user can reach, and a one-time token per push, handed to the hook
 * in its environment. The hook sends what git gave it; the answer streams back as NDJSON
 * (`{"line"}` for the pusher, then `{"accepted"}`), which the hook prints and turns into its exit code.
 */
export class PushHooks {
  private readonly sessions = new Map<string, Session>();
  private readonly line = new PushLine();
  private server: Promise<{ server: Server; path: string; tempDir: string | null }> | null = null;

  constructor(private readonly options: PushHooksOptions) {}

  /** Registers a push; the returned env goes to git (and so to its hook). */
  async open(app: App, repository: string, ended: Promise<void>, pusher: string): Promise<Record<string, string>> {
    const { path } = await this.listen();
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, { app, repository, pusher, used: false, ended });
    void ended.then(() => this.sessions.delete(token));
    return { DOZEN_HOOK_SOCKET: path, DOZEN_PUSH_TOKEN: token };
  }

  async close(): Promise<void> {
    const started = await this.server;
    this.server = null;
    if (!started) return;
    started.server.closeAllConnections();
    await new Promise<void>((resolve) => started.server.close(() => resolve()));
    rmSync(started.tempDir ?? started.path, { recursive: true, force: true });
  }

  private listen(): Promise<{ server: Server; path: string; tempDir: string | null }> {
    this.server ??= new Promise((resolve, reject) => {
      const { path, tempDir } = usableSocketPath(this.options.socketPath);
      rmSync(path, { force: true });
      const server = createServer((request, response) => void this.handle(request, response));
      server.once('error', reject);
      server.listen(path, () => resolve({ server, path, tempDir }));
    });
    return this.server;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const session = this.sessions.get(token);
    if (request.method !== 'POST' || request.url !== '/push' || !session || session.used) {
      response.writeHead(403, { 'content-type': 'text/plain' }).end(' !     This push is not known to Dozen.\n');
      return;
    }
    session.used = true;
    let message: HookMessage;
    try {
      message = parseHookMessage(await readBody(request));
    } catch (error) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end(` !     ${(error as Error).message}\n`);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const output: OutputWriter = { line: (text) => response.write(`${JSON.stringify({ line: text })}\n`) };
    const verdict = await this.decide(session, message, output).catch((error: unknown) => {
      output.line(` !     Dozen failed while receiving the push: ${(error as Error).message}`);
      return { accepted: false };
    });
    response.end(`${JSON.stringify({ accepted: verdict.accepted })}\n`);
  }

  private async decide(session: Session, message: HookMessage, output: OutputWriter): Promise<PushVerdict> {
    const { busy, turn } = this.line.enter(session.app.id, session.ended);
    if (busy) output.line(`-----> Another push to ${session.app.name} is in progress: waiting for it to finish...`);
    await turn;
    const push = await this.options.preparePush(session, message, output);
    return this.options.receive(push);
  }
}

export function parseHookMessage(text: string): HookMessage {
  const body = JSON.parse(text) as { updates?: unknown; quarantine?: unknown };
  if (typeof body.updates !== 'string') throw new Error('The hook sent no ref updates.');
  const quarantine = typeof body.quarantine === 'string' && body.quarantine !== '' ? body.quarantine : null;
  const updates: RefUpdate[] = [];
  for (const line of body.updates.split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{40}(?:[0-9a-f]{24})?) ([0-9a-f]{40}(?:[0-9a-f]{24})?) (.+)$/s.exec(line);
    if (!match) throw new Error(`The hook sent a ref update git would not write: ${JSON.stringify(line.slice(0, 300))}.`);
    updates.push({ oldCommit: match[1] as string, newCommit: match[2] as string, ref: match[3] as string });
  }
  return { updates, quarantine };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_MESSAGE_BYTES) request.destroy(new Error('The hook message is too large.'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Unix socket paths are limited to about 100 bytes; a deep data dir gets a private temp dir instead. */
function usableSocketPath(preferred: string): { path: string; tempDir: string | null } {
  if (Buffer.byteLength(preferred) <= 100) {
    mkdirSync(dirname(preferred), { recursive: true, mode: 0o700 });
    return { path: preferred, tempDir: null };
  }
  const tempDir = mkdtempSync(join(tmpdir(), 'dozen-git-'));
  return { path: join(tempDir, 'hooks.sock'), tempDir };
}
