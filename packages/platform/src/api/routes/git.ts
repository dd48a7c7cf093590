import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DozenError } from '@dozen/contracts/errors';
import { fillPath, routes, streamRoutes } from '@dozen/contracts';
import type { GitRequest } from '../../core/ports/git.js';
import { getGitInfo, serveGit, setDeployBranch, type GitInfo } from '../../core/use-cases/git.js';
import type { CoreDeps } from '../../core/deps.js';
import { jsonRoute } from '../json-route.js';

const GIT_BODY_TYPES = ['application/x-git-upload-pack-request', 'application/x-git-receive-pack-request'];
const SERVICES = new Set(['git-upload-pack', 'git-receive-pack']);

type GitRouteRequest = FastifyRequest<{ Params: { app: string }; Querystring: { service?: string } }>;

/**
 * Git smart HTTP (`/git/<app>.git/...`) and the app's git settings. The git routes only map the
 * request: the body stream goes to git untouched (never buffered), git's output streams back.
 * Only the three smart-HTTP endpoints exist: the dumb protocol's file paths are not served.
 */
export function gitRoutes(app: FastifyInstance, deps: CoreDeps): void {
  app.addContentTypeParser(GIT_BODY_TYPES, (_request, payload, done) => done(null, payload));

  const serve = (action: GitRequest['action']) => async (request: GitRouteRequest, reply: FastifyReply) => {
    const service = action === 'info/refs' ? requireService(request.query.service) : null;
    const response = await serveGit(deps, request.params.app, {
      method: request.method === 'POST' ? 'POST' : 'GET',
      action,
      service,
      headers: {
        contentType: oneOf(request.headers['content-type'], GIT_BODY_TYPES),
        contentEncoding: oneOf(request.headers['content-encoding'], ['gzip', 'x-gzip']),
        gitProtocol: matching(request.headers['git-protocol'], /^[A-Za-z0-9=:._-]{1,200}$/),
      },
      body: request.raw,
      user: request.principal?.label ?? 'unknown',
      remoteAddress: request.ip,
    });
    reply.code(response.status).headers(response.headers).header('x-accel-buffering', 'no');
    return reply.send(Readable.from(response.body, { objectMode: false }));
  };
  app.get(streamRoutes.gitInfoRefs.url, serve('info/refs'));
  app.post(streamRoutes.gitUploadPack.url, serve('git-upload-pack'));
  app.post(streamRoutes.gitReceivePack.url, serve('git-receive-pack'));

  jsonRoute(app, routes.getGit, async ({ params }) => toWireGit(await getGitInfo(deps, params.app)));
  jsonRoute(app, routes.updateGit, async ({ params, body }) => toWireGit(await setDeployBranch(deps, params.app, body.deployBranch)));
}

function requireService(service: string | undefined): 'git-upload-pack' | 'git-receive-pack' {
  if (service === undefined || !SERVICES.has(service)) {
    throw new DozenError('INVALID_REQUEST', `info/refs needs ?service=git-upload-pack or ?service=git-receive-pack, not ${JSON.stringify(service ?? '')}: Dozen serves git's smart HTTP protocol only.`);
  }
  return service as 'git-upload-pack' | 'git-receive-pack';
}

/** Only values git knows reach its environment; anything else is left out (git then refuses or ignores). */
function oneOf(value: string | undefined, allowed: string[]): string | undefined {
  return value !== undefined && allowed.includes(value) ? value : undefined;
}

function matching(value: string | string[] | undefined, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

function toWireGit(info: GitInfo) {
  return {
    app: info.app.name,
    path: fillPath('/git/:app.git', { app: info.app.name }),
    deployBranch: info.deployBranch,
    deployBranches: info.deployBranches,
  };
}
