import type { CoreDeps } from '../deps.js';
import type { App } from '../model.js';
import type { AppSeries } from '../ports/metrics-series.js';
import { parseSince } from '../since.js';
import { requireApp } from './require-app.js';

export interface MetricsInput {
  since?: string | undefined;
  step?: number | undefined;
}

/** A release on the timeline: when it was made and why. */
export interface DeployMarker {
  version: number;
  createdAt: string;
  description: string;
  status: string;
}

/** The most releases shown on one timeline (24 h of deploys every 90 s). */
const MAX_MARKERS = 1000;

/**
 * An app's metrics (issue 16): the series the edge keeps, and the releases made in the same
 * window as deploy markers (from the store: the edge does not know why a release was made).
 */
export async function appMetrics(deps: CoreDeps, appName: string, input: MetricsInput): Promise<{ app: App; series: AppSeries; deploys: DeployMarker[] }> {
  const app = await requireApp(deps, appName);
  const sinceMs = parseSince(input.since ?? '24h', deps.clock.now().getTime(), 'METRICS_QUERY_INVALID');
  const series = await deps.metrics.series(app.name, { sinceMs, stepSeconds: input.step ?? null });
  const from = (series.times[0] ?? sinceMs / 1000) * 1000;
  const releases = await deps.store.listReleases(app.id, MAX_MARKERS);
  const deploys = releases
    .filter((r) => Date.parse(r.createdAt) >= from)
    .map((r) => ({ version: r.version, createdAt: r.createdAt, description: r.description, status: r.status }))
    .reverse();
  return { app, series, deploys };
}
