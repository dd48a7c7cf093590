import type { ServerResponse } from 'node:http';

export interface RouterError {
  status: number;
  /** Heroku-style router error code (H10, H12, ...) or our own name for it. */
  code: string;
  title: string;
  detail: string;
}

export const routerErrors = {
  noApp: (host: string): RouterError => ({ status: 404, code: 'NO_SUCH_APP', title: 'No such app', detail: `There is no app at ${host}.` }),
  noProcess: (app: string): RouterError => ({ status: 503, code: 'H14', title: 'No web processes running', detail: `${app} has no web process running. Deploy it, or scale it up with \`dozen ps:scale web=1 -a ${app}\`.` }),
  upstreamFailed: (app: string): RouterError => ({ status: 502, code: 'H13', title: 'Connection closed without response', detail: `A web process of ${app} closed the connection without answering.` }),
  timeout: (app: string, seconds: number): RouterError => ({ status: 503, code: 'H12', title: 'Request timeout', detail: `A web process of ${app} did not answer within ${seconds} s.` }),
  badRequest: (): RouterError => ({ status: 400, code: 'BAD_REQUEST', title: 'Bad request', detail: 'The request could not be routed.' }),
};

/** HTML for browsers, JSON when asked. */
export function sendRouterError(res: ServerResponse, error: RouterError, accept: string | undefined): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const wantsJson = accept !== undefined && accept.includes('application/json') && !accept.includes('text/html');
  const body = wantsJson
    ? JSON.stringify({ error: { code: error.code, message: error.detail, title: error.title } })
    : `<!doctype html><html><head><meta charset="utf-8"><title>${escape(error.title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${escape(error.title)}</h1><p>${escape(error.detail)}</p><p><small>dozen router &middot; ${escape(error.code)}</small></p></body></html>`;
  res.writeHead(error.status, {
    'content-type': wantsJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-dozen-error': error.code,
  });
  res.end(body);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
