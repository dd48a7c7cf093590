import { describe, expect, it } from 'vitest';
import type { CoreDeps, ScorecardCost } from '../deps.js';
import type { App, Build, Release } from '../model.js';
import { result } from '../scorecard/catalogue.js';
import { printScoreLine } from './scorecard.js';

const app: App = { id: 'app1', name: 'web', createdAt: '2026-12-06T00:00:00Z', currentRelease: 3 };
const build = { id: 'b7', appId: 'app1' } as Build;
const release = { id: 'r3', appId: 'app1', version: 3 } as Release;

/** Deps whose monotonic clock moves 0.25 ms per read, and whose evidence query moves it 4 ms (it is timed). */
function depsReporting(costs: ScorecardCost[]): CoreDeps {
  let now = 100;
  return {
    runtimeResults: async () => {
      now += 4;
      return [result('XI.logs-to-stdout', 'warn', ['web.1 writes /tmp/app.log'])];
    },
    scorecardCost: { now: () => (now += 0.25), report: (cost: ScorecardCost) => costs.push(cost) },
  } as unknown as CoreDeps;
}

describe("the scorecard's cost on a deploy (issue 18, acceptance 4)", () => {
  it('reports the static checks the build timed and the score line it times itself, for the bench', async () => {
    const costs: ScorecardCost[] = [];
    const lines: string[] = [];
    await printScoreLine(depsReporting(costs), { app, build, release, checks: [result('III.no-secrets-in-source', 'pass', [])], checksMs: 2.5 }, { line: (l) => lines.push(l) });
    expect(lines).toEqual([expect.stringMatching(/^Twelve-factor: .*1 warn \(XI: web\.1 writes \/tmp\/app\.log\)/)]);
    expect(costs).toEqual([{ app: 'web', build: 'b7', release: 3, staticMs: 2.5, scoreLineMs: 4.25, scorecardMs: 6.75 }]);
  });

  it('reports nothing for an unscored build (no line either)', async () => {
    const costs: ScorecardCost[] = [];
    const lines: string[] = [];
    await printScoreLine(depsReporting(costs), { app, build, release }, { line: (l) => lines.push(l) });
    expect(lines).toEqual([]);
    expect(costs).toEqual([]);
  });
});
