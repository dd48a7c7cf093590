import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { COMMIT_PATTERN, routes, streamRoutes } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../../core/deps.js';
import { buildOutput, cancelBuild, createBuild, getBuild, listBuilds, purgeBuildCache } from '../../core/use-cases/builds.js';
import { getBuildpacks, setBuildpacks } from '../../core/use-cases/buildpacks.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';
import { toWireBuild, toWireBuildpacks } from '../wire.js';

const ARCHIVE_TYPES = ['application/gzip', 'application/x-gzip', 'application/x-tar', 'application/octet-stream'];

export function buildRoutes(app: FastifyInstance, deps: CoreDeps): void {
  // The archive is not parsed here: its stream goes straight to the intake, never buffered whole.
  app.addContentTypeParser(ARCHIVE_TYPES, (_request, payload, done) => done(null, payload));

  app.post<{ Params: { app: string }; Querystring: { commit?: string } }>(streamRoutes.createBuild.url, async (request, reply) => {
    const body = request.body as AsyncIterable<Uint8Array> | undefined;
    if (!body || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') {
      return reply.code(415).send({ error: { code: 'SOURCE_INVALID', message: `Send the source as ${streamRoutes.createBuild.contentType}.`, hint: 'Use `dozen deploy DIR`.', requestId: request.id } });
    }
    const commit = request.query.commit;
    if (commit !== undefined && !COMMIT_PATTERN.test(commit)) {
      throw new DozenError('INVALID_REQUEST', `commit=${JSON.stringify(commit.slice(0, 80))} is not a full commit id (40 or 64 lowercase hex digits).`);
    }
    const { app: found, build, done } = await createBuild(acting(deps, request), request.params.app, body, commit === undefined ? {} : { commit });
    done.catch((error: unknown) => request.log.error({ err: error, build: build.id }, 'build pipeline failed'));
    return reply.code(201).send(toWireBuild(found.name, build));
  });

  jsonRoute(app, routes.listBuilds, async ({ params }) => {
    const { app: found, builds } = await listBuilds(deps, params.app);
    return builds.map((b) => toWireBuild(found.name, b));
  });
  jsonRoute(app, routes.getBuild, async ({ params }) => {
    const { app: found, build } = await getBuild(deps, params.app, params.build);
    return toWireBuild(found.name, build);
  });

  jsonRoute(app, routes.cancelBuild, async ({ params }) => {
    const { app: found, build } = await cancelBuild(deps, params.app, params.build);
    return toWireBuild(found.name, build);
  });
  jsonRoute(app, routes.purgeBuildCache, async ({ params }) => ({ purged: (await purgeBuildCache(deps, params.app)).name }));
  jsonRoute(app, routes.listBuildpacks, async ({ params }) => toWireBuildpacks((await getBuildpacks(deps, params.app)).buildpacks));
  jsonRoute(app, routes.setBuildpacks, async ({ params, body, request }) => toWireBuildpacks((await setBuildpacks(acting(deps, request), params.app, body.buildpacks)).buildpacks));

  app.get<{ Params: { app: string; build: string } }>(streamRoutes.buildOutput.url, async (request, reply) => {
    const output = await buildOutput(deps, request.params.app, request.params.build);
    reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').header('x-accel-buffering', 'no');
    return reply.send(Readable.from(output));
  });
}
