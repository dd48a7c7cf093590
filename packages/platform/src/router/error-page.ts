import { STATUS_CODES } from 'node:http';

/** An answer the router gives itself, with a code users can look up (Heroku's H codes where they exist). */
export interface RouterError {
  status: number;
  code: string;
  title: string;
  detail: string;
}

export const routerErrors = {
  noApp: (host: string): RouterError => ({ status: 404, code: 'NO_SUCH_APP', title: 'No such app', detail: `There is no app at ${host || '(no Host header)'}.` }),
  crashed: (app: string): RouterError => ({ status: 503, code: 'H10', title: 'App crashed', detail: `The web processes of ${app} crashed. \`dozen logs -a ${app}\` shows why; they restart on their own.` }),
  timeout: (app: string, seconds: number): RouterError => ({ status: 503, code: 'H12', title: 'Request timeout', detail: `A web process of ${app} did not answer within ${seconds} s.` }),
  closed: (app: string, why: string): RouterError => ({ status: 502, code: 'H13', title: 'Connection closed without response', detail: `A web process of ${app} ${why}.` }),
  idle: (app: string, seconds: number): RouterError => ({ status: 503, code: 'H15', title: 'Idle connection', detail: `Nothing was sent either way between the client and ${app} for ${seconds} s.` }),
  noProcess: (app: string): RouterError => ({ status: 503, code: 'H14', title: 'No web processes running', detail: `${app} has no web process running. Deploy it, or scale it up with \`dozen ps:scale web=1 -a ${app}\`.` }),
  refused: (status: number, reason: string): RouterError => ({ status, code: `HTTP_${status}`, title: STATUS_CODES[status] ?? 'Bad request', detail: `The router refused the request: ${reason}.` }),
  overloaded: (): RouterError => ({ status: 503, code: 'OVERLOADED', title: 'Router at capacity', detail: 'The router has as many connections open as it is configured to; try again shortly.' }),
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
  const body = options.json
    ? JSON.stringify({ error: { code: error.code, title: error.title, message: error.detail, ...(options.requestId ? { requestId: options.requestId } : {}) } })
    : `<!doctype html><html><head><meta charset="utf-8"><title>${escape(error.title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${escape(error.title)}</h1><p>${escape(error.detail)}</p><p><small>dozen router &middot; ${escape(error.code)}${options.requestId ? ` &middot; request ${escape(options.requestId)}` : ''}</small></p></body></html>\n`;
  const length = Buffer.byteLength(body);
  const head =
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}\r\n` +
    `Content-Type: ${options.json ? 'application/json' : 'text/html'}; charset=utf-8\r\nContent-Length: ${length}\r\nCache-Control: no-store\r\n` +
    `X-Dozen-Error: ${error.code}\r\n${options.requestId ? `X-Request-Id: ${options.requestId}\r\n` : ''}${options.close ? 'Connection: close\r\n' : ''}Via: 1.1 dozen\r\n\r\n`;
  return Buffer.from(options.head ? head : head + body, 'utf8');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
