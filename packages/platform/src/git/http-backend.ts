import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { GitRequest, GitResponse } from '../core/ports/git.js';
import { parseCgiHead } from './cgi-head.js';
import { spawnGit, type GitSetup } from './git-command.js';

const MAX_HEAD_BYTES = 64 * 1024;

export interface BackendCall {
  /** GIT_PROJECT_ROOT: the directory of the repositories. */
  projectRoot: string;
  /** The repository's directory name below projectRoot (`<app id>.git`): never from the URL. */
  repository: string;
  request: GitRequest;
  /** More request bytes than this and the request is cut off. */
  maxRequestBytes: number;
  /** Extra environment for git and its hooks. */
  env: Record<string, string>;
}

export interface BackendRun {
  response: Promise<GitResponse>;
  /** Resolves when git has exited, whatever happened to the client. */
  exited: Promise<void>;
}

/**
 * Serves one request through `git http-backend` (CGI): the request body streams into it, its
 * headers are parsed, and its output streams back without buffering. A push runs to the end even
 * if the client goes away (its output is then discarded), so a push is never cut off between the
 * pre-receive step and the ref update; fetches are stopped instead.
 */
export function runHttpBackend(setup: GitSetup, call: BackendCall): BackendRun {
  const { request } = call;
  const child = spawnGit(setup, ['http-backend'], { ...call.env, ...cgiEnv(call) });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8 * 1024) stderr += chunk.toString();
  });
  child.on('error', () => undefined);
  void pump(request.body, child.stdin as Writable, call.maxRequestBytes, () => child.kill('SIGKILL'));
  const response = readResponse(child, request.action !== 'git-receive-pack', () => stderr);
  return { response, exited };
}

function cgiEnv(call: BackendCall): Record<string, string> {
  const { request } = call;
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: call.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: request.method,
    PATH_INFO: `/${call.repository}/${request.action}`,
    QUERY_STRING: request.service ? `service=${request.service}` : '',
    REMOTE_USER: request.user,
    REMOTE_ADDR: request.remoteAddress,
  };
  if (request.headers.contentType) env.CONTENT_TYPE = request.headers.contentType;
  if (request.headers.contentEncoding) env.HTTP_CONTENT_ENCODING = request.headers.contentEncoding;
  if (request.headers.gitProtocol) env.GIT_PROTOCOL = request.headers.gitProtocol;
  return env;
}

/** Request body -> git's stdin, with backpressure and a byte limit; a client that leaves ends it early. */
async function pump(body: AsyncIterable<Uint8Array>, stdin: Writable, maxBytes: number, onTooLarge: () => void): Promise<void> {
  let bytes = 0;
  let broken = false;
  stdin.on('error', () => (broken = true));
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        onTooLarge();
        break;
      }
      if (broken) break;
      if (!stdin.write(chunk)) await drained(stdin);
    }
  } catch {
    // The client went away mid-request: git sees a truncated request and stores nothing.
  } finally {
    stdin.end();
  }
}

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

async function readResponse(child: ChildProcess, stopOnLeave: boolean, stderr: () => string): Promise<GitResponse> {
  const stdout = child.stdout as NonNullable<ChildProcess['stdout']>;
  // Not destroyed when the reader stops early: a push must be able to finish.
  const chunks = stdout.iterator({ destroyOnReturn: false });
  let head = Buffer.alloc(0);
  for (;;) {
    const next = await chunks.next();
    if (next.done) return failed(stderr());
    head = Buffer.concat([head, next.value as Buffer]);
    const parsed = parseCgiHead(head);
    if (parsed) return { status: parsed.status, headers: parsed.headers, body: bodyOf(head.subarray(parsed.bodyStart), chunks, child, stopOnLeave) };
    if (head.length > MAX_HEAD_BYTES) {
      child.kill('SIGKILL');
      return failed('the CGI head is too large');
    }
  }
}

async function* bodyOf(first: Buffer, chunks: AsyncIterator<unknown>, child: ChildProcess, stopOnLeave: boolean): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      yield next.value as Buffer;
    }
    finished = true;
  } finally {
    if (!finished) {
      await chunks.return?.();
      if (stopOnLeave) child.kill('SIGKILL');
      // Keep reading (and discarding) so that git never blocks on a full pipe.
      else child.stdout?.resume();
    }
  }
}

function failed(detail: string): GitResponse {
  const text = `git http-backend failed: ${detail.trim() || 'no output'}\n`;
  return { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: once(Buffer.from(text)) };
}

async function* once(chunk: Uint8Array): AsyncGenerator<Uint8Array> {
  yield chunk;
}
