import type { FastifyRequest } from 'fastify';
import type { ActingDeps, CoreDeps } from '../core/deps.js';
import { actorOf } from './audit/actor.js';

/** The deps of a use case acting for the request's caller (named in the app's log stream). */
export function acting(deps: CoreDeps, request: FastifyRequest): ActingDeps {
  return { ...deps, actor: actorOf(request).label };
}
