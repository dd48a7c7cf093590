import { STATUS_CODES } from 'node:http';

/**
 * An answer the router gives itself, with a code users can look up (Heroku's H codes where they
 * exist), a message naming what happened and a hint for the next step, as the API's errors have.
 */
export interface RouterError {
  status: number;
  code: string;
  title: string;
  detail: string;
  hint: string;
  /** A refusal of the bytes themselves (before or instead of a request): JSON whatever Accept says. */
  refusal?: boolean;
}

/** What to do about a request the router refuses, by status. */
const REFUSAL_HINTS: Record<number, string> = {
  400: 'Send a well-formed HTTP/1.1 request (RFC 9112); the router does not guess at ambiguous ones.',
  408: 'Send the whole request head without pausing; the connection was closed.',
  413: 'Send a smaller request body.',
  414: 'Use a shorter URL; put data in the request body.',
  417: 'Send no Expect header, or Expect: 100-continue.',
  431: 'Send fewer or smaller header fields (large cookies are the usual cause).',
  501: 'Use a standard method, and Content-Length or Transfer-Encoding: chunked for a body.',
  505: 'Use HTTP/1.1 (or HTTP/1.0).',
};

export const routerErrors = {
  noApp: (host: string): RouterError => ({ status: 404, code: 'NO_SUCH_APP', title: 'No such app', detail: `There is no app at ${host || '(no Host header)'}.`, hint: 'Apps answer at <app>.<platform domain> and at their custom domains (`dozen domains -a APP`).' }),
  crashed: (app: string): RouterError => ({ status: 503, code: 'H10', title: 'App crashed', detail: `The web processes of ${app} crashed.`, hint: `Run \`dozen logs -a ${app}\` to see why; the processes restart on their own, with back-off.` }),
  timeout: (app: string, seconds: number): RouterError => ({ status: 503, code: 'H12', title: 'Request timeout', detail: `A web process of ${app} did not answer within ${seconds} s.`, hint: `Make the app answer within ${seconds} s (start long work in a worker), or raise DOZEN_ROUTER_REQUEST_TIMEOUT.` }),
  closed: (app: string, why: string): RouterError => ({ status: 502, code: 'H13', title: 'Connection closed without response', detail: `A web process of ${app} ${why}.`, hint: `Run \`dozen logs -a ${app}\` to see what the process did.` }),
  idle: (app: string, seconds: number): RouterError => ({ status: 503, code: 'H15', title: 'Idle connection', detail: `Nothing was sent either way between the client and ${app} for ${seconds} s.`, hint: `Send something at least every ${seconds} s (a heartbeat), or raise DOZEN_ROUTER_IDLE_TIMEOUT.` }),
  noProcess: (app: string): RouterError => ({ status: 503, code: 'H14', title: 'No web processes running', detail: `${app} has no web process running.`, hint: `Deploy ${app}, or scale it up with \`dozen ps:scale web=1 -a ${app}\`.` }),
  maintenance: (app: string): RouterError => ({ status: 503, code: 'H80', title: 'Maintenance mode', detail: `${app} is offline for maintenance and will be back shortly.`, hint: `Please try again later. (The app's owner turns it off with \`dozen maintenance:off -a ${app}\`.)` }),
  refused: (status: number, reason: string): RouterError => ({ status, code: `HTTP_${status}`, title: STATUS_CODES[status] ?? 'Bad request', detail: `The router refused the request: ${reason}.`, hint: REFUSAL_HINTS[status] ?? 'Fix the request as the message says.', refusal: true }),
  overloaded: (): RouterError => ({ status: 503, code: 'OVERLOADED', title: 'Router at capacity', detail: 'The router has as many connections open as it is configured to; try again shortly.', hint: 'Try again shortly; the operator can raise DOZEN_ROUTER_MAX_CONNECTIONS.', refusal: true }),
};

export interface ErrorResponseOptions {
  json: boolean;
  close: boolean;
  requestId?: string;
  /** A HEAD request: the same headers, no body. */
  head?: boolean;
}

/** A whole response (head and body) for the socket: HTML for browsers, JSON when asked. */
export function errorResponse(error: RouterError, options: ErrorResponseOptions): Buffer {
  const json = options.json || error.refusal === true;
  const body = json ? JSON.stringify(errorBody(error, options.requestId)) : htmlPage(error, options.requestId);
  const length = Buffer.byteLength(body);
  const head =
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
    `Content-Type: ${json ? 'application/json' : 'text/html'}; charset=utf-8\r\nContent-Length: ${length}\r\nCache-Control: no-store\r\n` +
    `X-Dozen-Error: ${error.code}\r\n${options.requestId ? `X-Request-Id: ${options.requestId}\r\n` : ''}${options.close ? 'Connection: close\r\n' : ''}Via: 1.1 dozen\r\n\r\n`;
  return Buffer.from(options.head ? head : head + body, 'utf8');
}

/** The API's error shape: `{ error: { code, message, hint, requestId? } }`. */
export function errorBody(error: RouterError, requestId?: string): { error: { code: string; message: string; hint: string; requestId?: string } } {
  return { error: { code: error.code, message: error.detail, hint: error.hint, ...(requestId ? { requestId } : {}) } };
}

/** For browsers: the same code, message and hint as a page. */
function htmlPage(error: RouterError, requestId?: string): string {
  const footer = `dozen router &middot; ${escape(error.code)}${requestId ? ` &middot; request ${escape(requestId)}` : ''}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(error.title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${escape(error.title)}</h1><p>${escape(error.detail)}</p><p>${escape(error.hint)}</p><p><small>${footer}</small></p></body></html>\n`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What the HTTPS port answers to bytes that are not TLS (plain HTTP), in plain text as nginx does. */
export function plainHttpOnTlsPort(): Buffer {
  const body = 'The plain HTTP request was sent to the HTTPS port (PLAIN_HTTP_TO_HTTPS_PORT). Use https:// for this port.\n';
  return Buffer.from(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nX-Dozen-Error: PLAIN_HTTP_TO_HTTPS_PORT\r\nConnection: close\r\nVia: 1.1 dozen\r\n\r\n${body}`,
    'latin1',
  );
}
