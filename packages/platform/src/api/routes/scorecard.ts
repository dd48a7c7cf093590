import type { FastifyInstance } from 'fastify';
import { routes, type Scorecard } from '@dozen/contracts';
import type { CoreDeps } from '../../core/deps.js';
import { releaseScorecard, scorecardPolicy, setScorecardPolicy, type ReleaseScorecard } from '../../core/use-cases/scorecard.js';
import { acting } from '../acting.js';
import { jsonRoute } from '../json-route.js';

/** The twelve-factor scorecard of a release, and the app's policy (issue 18). */
export function scorecardRoutes(app: FastifyInstance, deps: CoreDeps): void {
  jsonRoute(app, routes.getReleaseScorecard, async ({ params }) => toWire(await releaseScorecard(deps, params.app, Number(params.version.replace(/^v/, '')))));
  jsonRoute(app, routes.getScorecard, async ({ params }) => toWire(await releaseScorecard(deps, params.app)));
  jsonRoute(app, routes.getScorecardPolicy, async ({ params }) => {
    const { app: found, required, checks } = await scorecardPolicy(deps, params.app);
    return { app: found.name, required, checks };
  });
  jsonRoute(app, routes.setScorecardPolicy, async ({ params, body, request }) => {
    const { app: found, required, checks } = await setScorecardPolicy(acting(deps, request), params.app, body.required);
    return { app: found.name, required, checks };
  });
}

function toWire(card: ReleaseScorecard): Scorecard {
  return { app: card.app.name, release: card.release.version, commit: card.release.commit, counts: card.counts, summary: card.summary, checks: card.checks };
}
