import type { Access } from './access.js';

/** A route that is not request/response JSON; `access` as in routes.ts (required). */
export interface StreamRoute {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  contentType: string;
  summary: string;
  access: Access;
}

/**
 * Routes that are not request/response JSON (apart from routes.ts, without TypeBox: the CLI loads
 * them at start). They are listed here so that the server and the
 * client agree on their paths and so that the auth test can crawl every route.
 */
export const streamRoutes = {
  createBuild: { method: 'POST', url: '/apps/:app/builds', access: { app: 'deploy' }, contentType: 'application/gzip', summary: 'Upload a gzipped tarball of the source; answers 201 with the build, which then runs.' },
  buildOutput: { method: 'GET', url: '/apps/:app/builds/:build/output', access: { app: 'view' }, contentType: 'text/plain', summary: 'Build output, live until the build ends.' },
  tailLogs: { method: 'GET', url: '/apps/:app/logs/stream', access: { app: 'view' }, contentType: 'text/event-stream', summary: 'Server-sent events: recent lines, then live ones (same filters as getLogs; Last-Event-ID resumes).' },
  run: { method: 'GET', url: '/apps/:app/run', access: { app: 'deploy' }, contentType: 'websocket', summary: 'A one-off process; see run-protocol.' },
  metrics: { method: 'GET', url: '/metrics', access: 'admin', contentType: 'text/plain; version=0.0.4', summary: 'Prometheus metrics (the router per app); the admin token or the metrics token.' },
  gitInfoRefs: { method: 'GET', url: '/git/:app.git/info/refs', access: { app: 'deploy' }, contentType: 'application/x-git-upload-pack-advertisement', summary: 'Git smart HTTP: ref advertisement (?service=git-upload-pack or git-receive-pack).' },
  gitUploadPack: { method: 'POST', url: '/git/:app.git/git-upload-pack', access: { app: 'deploy' }, contentType: 'application/x-git-upload-pack-request', summary: 'Git smart HTTP: fetch and clone.' },
  gitReceivePack: { method: 'POST', url: '/git/:app.git/git-receive-pack', access: { app: 'deploy' }, contentType: 'application/x-git-receive-pack-request', summary: 'Git smart HTTP: push; a push to the deploy branch builds and releases it.' },
  downloadBackup: { method: 'GET', url: '/backups/:backup/archive', access: 'admin', contentType: 'application/gzip', summary: 'The archive of a backup (tar.gz), streamed.' },
  downloadPgBackup: { method: 'GET', url: '/apps/:app/pg-backups/:backup/archive', access: { app: 'view' }, contentType: 'application/octet-stream', summary: 'A postgres add-on backup (pg_dump custom format), streamed.' },
  // The Kubernetes runtime (issue 19): a release's init container fetches its slug; the slug's own token opens it.
  downloadSlug: { method: 'GET', url: '/slugs/:slug', access: 'public', contentType: 'application/gzip', summary: 'A slug as tar.gz (its sha256 in X-Dozen-Sha256), opened by a token scoped to that slug (Authorization: Bearer dzslug_...).' },
  // The dashboard (issue 16): static files; the page asks for a session itself.
  dashboardIndex: { method: 'GET', url: '/', access: 'public', contentType: 'text/html', summary: 'The dashboard.' },
  dashboardPages: { method: 'GET', url: '/ui/*', access: 'public', contentType: 'text/html', summary: 'The dashboard\'s pages (index.html; the page routes itself).' },
  dashboardAssets: { method: 'GET', url: '/assets/*', access: 'public', contentType: 'application/javascript', summary: 'The dashboard\'s hashed scripts and styles (cached for a year).' },
  // The roles as processes (issue 19): sources and slugs as artefacts, for the builder and runtime roles (the cluster token only).
  putArtefact: { method: 'PUT', url: '/internal/artefacts/*', access: 'cluster', contentType: 'application/octet-stream', summary: 'Store an artefact (source/<build id>, slug/<app id>/<slug id>); X-Dozen-Sha256 names its sha256, checked while it is stored.' },
  getArtefact: { method: 'GET', url: '/internal/artefacts/*', access: 'cluster', contentType: 'application/octet-stream', summary: 'An artefact, streamed; its sha256 in X-Dozen-Sha256.' },
} as const satisfies Record<string, StreamRoute>;

/** Fill `:name` placeholders, encoding each value so that it stays one path segment. */
export function fillPath(url: string, params: Record<string, string | number> | undefined): string {
  return url.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${url}`);
    return encodeURIComponent(String(value));
  });
}
