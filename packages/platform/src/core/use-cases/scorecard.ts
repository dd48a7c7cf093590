import { DozenError } from '@dozen/contracts/errors';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App, Build, ConfigVars, Release } from '../model.js';
import type { OutputWriter } from '../ports/build.js';
import type { CheckResult, CheckStatus } from '../scorecard/check.js';
import type { CheckContext } from '../scorecard/source-snapshot.js';
import { parseRequired, requiredCheckIds, requiredFailedError, requiredFailures } from '../scorecard/required-checks.js';
import { assembleScorecard, countByStatus, scoreLine } from '../scorecard/scorecard.js';
import { platformEvent } from './platform-event.js';
import { requireApp } from './require-app.js';

export interface ReleaseScorecard {
  app: App;
  release: Release;
  checks: CheckResult[];
  counts: Record<CheckStatus, number>;
  /** `Twelve-factor: 11 pass, 1 warn (...)`. */
  summary: string;
}

/** The scorecard of release `version` (default: the current one): its build's static results, its processes' runtime ones. */
export async function releaseScorecard(deps: CoreDeps, appName: string, version?: number): Promise<ReleaseScorecard> {
  const app = await requireApp(deps, appName);
  const wanted = version ?? app.currentRelease;
  if (wanted === null) throw new DozenError('NO_RELEASE', `${appName} has no release yet: there is nothing to score.`);
  const release = await deps.store.findRelease(app.id, wanted);
  if (!release) throw new DozenError('RELEASE_NOT_FOUND', `${appName} has no release v${wanted}.`);
  const build = await buildOf(deps, release);
  const checks = assembleScorecard(build?.checks ?? null, await deps.runtimeResults(release));
  return { app, release, checks, counts: countByStatus(checks), summary: scoreLine(checks) };
}

/**
 * The build whose source the release runs: its own, else the one that made its slug (a config
 * change, a rollback or a promotion keeps the slug, so it keeps that build's static results).
 */
async function buildOf(deps: CoreDeps, release: Release): Promise<Build | undefined> {
  const own = release.buildId === null ? undefined : await deps.store.findBuild(release.appId, release.buildId);
  if (own?.checks !== undefined || release.slugId === null) return own;
  const slug = await deps.store.findSlug(release.slugId);
  return (slug && (await deps.store.findBuild(slug.appId, slug.buildId))) ?? own;
}

export interface ScorecardPolicy {
  app: App;
  /** As given: factors (`III`) or check ids. */
  required: string[];
  /** Every check id the policy covers. */
  checks: string[];
}

export async function scorecardPolicy(deps: CoreDeps, appName: string): Promise<ScorecardPolicy> {
  const app = await requireApp(deps, appName);
  const required = await deps.store.getRequiredChecks(app.id);
  return { app, required, checks: requiredCheckIds(required) };
}

/** `scorecard:require III,XI` (null: `--none`, no policy). */
export async function setScorecardPolicy(deps: ActingDeps, appName: string, text: string | null): Promise<ScorecardPolicy> {
  const app = await requireApp(deps, appName);
  const required = text === null ? [] : parseRequired(text);
  await deps.store.setRequiredChecks(app.id, required);
  platformEvent(deps, app.name, 'api', required.length === 0 ? `Scorecard policy cleared by ${deps.actor}` : `Scorecard policy set to ${required.join(', ')} by ${deps.actor}`);
  return { app, required, checks: requiredCheckIds(required) };
}

/** What the build is asked to score (undefined: nothing): every build when the scorecard is on, else only under a policy. */
export async function scorecardRequest(deps: CoreDeps, app: App, commit: string | null, config: ConfigVars): Promise<CheckContext | undefined> {
  if (deps.settings.scorecard || (await deps.store.getRequiredChecks(app.id)).length > 0) return { commit, config };
  return undefined;
}

/** Stops the deploy (SCORECARD_REQUIRED_FAILED, before any release is made) when a required static check fails; no results (an unscored build): nothing to hold against it. */
export function enforcePolicy(deps: CoreDeps, app: App, required: string[], checks: CheckResult[] | undefined): void {
  const failures = requiredFailures(required, checks ?? []);
  if (failures.length === 0) return;
  const error = requiredFailedError(app.name, failures, app.currentRelease);
  platformEvent(deps, app.name, 'build', `Deploy stopped by the scorecard policy: ${failures.map((f) => f.id).join(', ')} failed`);
  throw error;
}

/** The deploy's last line: the new release's score (static results now, runtime ones as far as seen); reports what the scorecard cost the deploy. */
export async function printScoreLine(deps: CoreDeps, scored: { app: App; build: Build; release: Release; checks?: CheckResult[]; checksMs?: number }, output: OutputWriter): Promise<void> {
  const { app, build, release, checks } = scored;
  if (checks === undefined) return;
  const started = deps.scorecardCost?.now() ?? 0;
  output.line(scoreLine(assembleScorecard(checks, await deps.runtimeResults(release))));
  if (!deps.scorecardCost) return;
  const staticMs = scored.checksMs ?? 0;
  const scoreLineMs = deps.scorecardCost.now() - started;
  deps.scorecardCost.report({ app: app.name, build: build.id, release: release.version, staticMs, scoreLineMs, scorecardMs: staticMs + scoreLineMs });
}
