import { DozenError, isErrorCode, type ErrorBody } from './errors.js';
import type { routes, RouteInput, RouteName, RouteOutput } from './routes.js';
import { fillPath, streamRoutes } from './stream-routes.js';
import type { Build } from './schemas/build.js';
import type { LogLine, LogSource, TailNotice } from './schemas/log.js';

export interface TailOptions {
  /** Recent lines to start with (default: the platform's, 100). */
  lines?: number | undefined;
  /** Resume after this line id (Last-Event-ID). */
  after?: string | undefined;
  process?: string | undefined;
  source?: LogSource | undefined;
  since?: string | undefined;
  signal?: AbortSignal;
  /** Resume after a dropped connection instead of ending. */
  reconnect?: boolean;
  onNotice?: (notice: TailNotice) => void;
}

export interface ClientOptions {
  baseUrl: string;
  token?: string | undefined;
  userAgent?: string;
  /** The dashboard: no token (the browser sends the session cookie) but the session's CSRF token (GET /session). */
  csrfToken?: string | undefined;
}

type Route<N extends RouteName> = (typeof routes)[N];

/**
 * The JSON route table (with its TypeBox schemas, ~100 ms to load) is imported at the first call,
 * not with the client: `dozen --version` and `dozen run` never need it.
 */
let routeTable: Promise<typeof routes> | undefined;
function loadRoutes(): Promise<typeof routes> {
  routeTable ??= import('./routes.js').then((module) => module.routes);
  return routeTable;
}

/** The typed API client. The CLI and the dashboard talk to the platform only through it. */
export class DozenClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly userAgent: string;
  private readonly csrfToken: string | undefined;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.userAgent = options.userAgent ?? 'dozen-client';
    this.csrfToken = options.csrfToken;
  }

  async call<N extends RouteName>(name: N, input: RouteInput<Route<N>>): Promise<RouteOutput<Route<N>>> {
    const route: Route<N> = (await loadRoutes())[name];
    const path = fillPath(route.url, input.params as Record<string, string> | undefined);
    const init: RequestInit = { method: route.method, headers: this.headers() };
    if (input.body !== undefined) {
      init.body = JSON.stringify(input.body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await this.fetch(path + toQuery(input.query as Record<string, unknown> | undefined), init);
    return (await response.json()) as RouteOutput<Route<N>>;
  }

  /** Streams a gzipped tarball to a new build; answers once the upload is accepted. `commit`: the git commit it is. */
  async uploadSource(app: string, body: ReadableStream<Uint8Array>, options: { commit?: string } = {}): Promise<Build> {
    const path = fillPath(streamRoutes.createBuild.url, { app }) + toQuery({ commit: options.commit });
    const headers = { ...this.headers(), 'content-type': streamRoutes.createBuild.contentType };
    const response = await this.fetch(path, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
    return (await response.json()) as Build;
  }

  /** Build output as text chunks, live until the build ends. */
  async *buildOutput(app: string, build: string): AsyncGenerator<string> {
    const response = await this.fetch(fillPath(streamRoutes.buildOutput.url, { app, build }), { headers: this.headers() });
    yield* decodeText(response);
  }

  /** A backup's archive (admin), or with `app` a postgres add-on's backup, streamed. */
  async *downloadBackup(backup: string, app?: string): AsyncGenerator<Uint8Array> {
    const path = app === undefined ? fillPath(streamRoutes.downloadBackup.url, { backup }) : fillPath(streamRoutes.downloadPgBackup.url, { app, backup });
    const response = await this.fetch(path, { headers: this.headers() });
    if (response.body === null) return;
    for await (const chunk of response.body) yield chunk;
  }

  /**
   * Log lines: the recent ones first, then live ones until `signal` aborts. With `reconnect`, a
   * dropped connection (platform restart, network) is resumed after the last line seen, so no
   * line is missed or repeated while the platform's history still holds it.
   */
  async *tailLogs(app: string, options: TailOptions = {}): AsyncGenerator<LogLine> {
    let after = options.after;
    let lines = options.lines;
    for (let attempt = 0; ; attempt++) {
      try {
        for await (const line of this.tailOnce(app, { ...options, lines, after })) {
          after = line.id;
          attempt = 0;
          yield line;
        }
        if (!options.reconnect) return;
      } catch (error) {
        if (options.signal?.aborted || !options.reconnect || !(error instanceof DozenError) || error.code !== 'API_UNREACHABLE' || attempt >= 120) throw error;
      }
      if (options.signal?.aborted) return;
      // Resume where we were; with no line seen yet, no backlog again.
      if (after === undefined) lines = 0;
      if (attempt === 0) options.onNotice?.({ message: 'connection lost; reconnecting' });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  private async *tailOnce(app: string, options: TailOptions): AsyncGenerator<LogLine> {
    const headers: Record<string, string> = { ...this.headers(), accept: 'text/event-stream' };
    if (options.after !== undefined) headers['last-event-id'] = options.after;
    const query = toQuery({ lines: options.lines, process: options.process, source: options.source, since: options.since });
    const init: RequestInit = { headers };
    if (options.signal) init.signal = options.signal;
    const response = await this.fetch(fillPath(streamRoutes.tailLogs.url, { app }) + query, init);
    try {
      for await (const event of parseEventStream(decodeText(response))) {
        if (event.event === 'line') yield JSON.parse(event.data) as LogLine;
        else if (event.event === 'notice') options.onNotice?.(JSON.parse(event.data) as TailNotice);
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new DozenError('API_UNREACHABLE', `The log stream from ${this.baseUrl} broke off: ${describeFetchError(error)}.`, { cause: error });
    }
  }

  /** Where and how to open the one-off run WebSocket. */
  runEndpoint(app: string): { url: string; headers: Record<string, string> } {
    const url = this.baseUrl.replace(/^http/, 'ws') + fillPath(streamRoutes.run.url, { app });
    return { url, headers: this.headers() };
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    return headers;
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, init);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      const reason = describeFetchError(error);
      if (UNTRUSTED_CERTIFICATE.has(reason)) throw new DozenError('API_CERT_UNTRUSTED', `The Dozen API at ${this.baseUrl} has a certificate this machine does not accept: ${reason}.`, { cause: error });
      throw new DozenError('API_UNREACHABLE', `Cannot reach the Dozen API at ${this.baseUrl}: ${reason}.`, { cause: error });
    }
    if (!response.ok) throw await toDozenError(response);
    return response;
  }
}

async function toDozenError(response: Response): Promise<DozenError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<ErrorBody>;
    if (body.error && isErrorCode(body.error.code)) {
      const suffix = body.error.requestId ? { details: { requestId: body.error.requestId, ...asObject(body.error.details) } } : { details: body.error.details };
      return new DozenError(body.error.code, body.error.message, { hint: body.error.hint, ...suffix });
    }
  } catch {
    // not JSON: fall through to a generic error that still names the status
  }
  // A proxy or a platform that is stopping: nothing wrong with the request, try again shortly.
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return new DozenError('API_UNREACHABLE', `The Dozen API is unavailable right now (${response.status} ${response.statusText}).`);
  }
  return new DozenError('INTERNAL', `The API answered ${response.status} ${response.statusText}: ${text.slice(0, 200)}`);
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** Node's codes for a TLS certificate it refuses (an unknown CA, a wrong name, dates). */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function toQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function* decodeText(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

export interface ServerSentEvent {
  id?: string;
  event: string;
  data: string;
}

/** A minimal text/event-stream parser (the subset the platform emits: id, event, data, comments). */
export async function* parseEventStream(chunks: AsyncIterable<string>): AsyncGenerator<ServerSentEvent> {
  let buffer = '';
  let current: { id?: string; event?: string; data: string[] } = { data: [] };
  for await (const chunk of chunks) {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (current.data.length > 0) {
          const event: ServerSentEvent = { event: current.event ?? 'message', data: current.data.join('\n') };
          if (current.id !== undefined) event.id = current.id;
          yield event;
        }
        current = { data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') current.data.push(value);
        else if (field === 'event') current.event = value;
        else if (field === 'id') current.id = value;
      }
    }
  }
}
