import { describe, expect, it } from 'vitest';
import { planGc, windowSlugs, type GcState } from './gc-plan.js';

const RT = '/data/runtimes/node';

/** An app `a1` with `n` succeeded releases v1..vn, release vi on slug `s<i>`; vn current. */
function stateWith(n: number, patch: Partial<GcState> = {}): GcState {
  const releases = Array.from({ length: n }, (_, i) => ({ appId: 'a1', version: i + 1, slugId: `s${i + 1}`, status: 'succeeded' as const }));
  const slugs = releases.map((r, i) => ({ id: r.slugId, appId: 'a1', nodeBinDir: i < 3 ? `${RT}/18.20.0-x64/bin` : `${RT}/22.1.0-x64/bin`, collected: false }));
  return {
    apps: [{ id: 'a1', currentRelease: n }],
    releases,
    slugs,
    busyApps: [],
    disk: { slugs: slugs.map((s) => ({ appId: 'a1', slugId: s.id })), appDirs: [{ appId: 'a1', area: 'slugs' }], runtimes: [`${RT}/18.20.0-x64`, `${RT}/22.1.0-x64`, `${RT}/20.0.0-x64`], builds: [] },
    ...patch,
  };
}

describe('the garbage collection plan', () => {
  it('keeps the last 10 releases of an app and collects the slugs before them', () => {
    const plan = planGc(stateWith(15));
    expect(plan.collect.map((s) => s.slugId)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(plan.remove.slugs.map((s) => s.slugId)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(plan.kept).toBe(10);
  });

  it('keeps the current release and pending ones even outside the window', () => {
    const state = stateWith(15);
    state.apps[0]!.currentRelease = 2;
    state.releases[3]!.status = 'pending';
    expect(planGc(state).collect.map((s) => s.slugId)).toEqual(['s1', 's3', 's5']);
  });

  it('keeps a slug shared with a release in the window (a rollback reuses it)', () => {
    const state = stateWith(15);
    state.releases.push({ appId: 'a1', version: 16, slugId: 's1', status: 'succeeded' });
    state.apps[0]!.currentRelease = 16;
    expect(planGc(state).collect.map((s) => s.slugId)).toEqual(['s2', 's3', 's4', 's5', 's6']);
  });

  it('never collects a slug another app\'s release uses (promotion, issue 17), and a promoted copy lives on its own', () => {
    const state = stateWith(15);
    // a2 was promoted from a1's v1: its release runs a1's slug s1 (shared), or its own copy p1.
    state.apps.push({ id: 'a2', currentRelease: 1 });
    state.releases.push({ appId: 'a2', version: 1, slugId: 's1', status: 'succeeded' });
    expect(planGc(state).collect.map((s) => s.slugId)).toEqual(['s2', 's3', 's4', 's5']);
    expect(planGc(state).remove.slugs.map((s) => s.slugId)).not.toContain('s1');
    state.releases[state.releases.length - 1]!.slugId = 'p1';
    state.slugs.push({ id: 'p1', appId: 'a2', nodeBinDir: `${RT}/18.20.0-x64/bin`, collected: false });
    state.disk.slugs.push({ appId: 'a2', slugId: 'p1' });
    const plan = planGc(state);
    expect(plan.collect.map((s) => s.slugId)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(plan.remove.slugs.map((s) => s.slugId)).not.toContain('p1');
    // The copy's runtime is the source's: kept while the copy is.
    expect(plan.remove.runtimes).not.toContain(`${RT}/18.20.0-x64`);
  });

  it('collects runtimes no kept slug runs on, and keeps those one does', () => {
    const plan = planGc(stateWith(15));
    // s1-s3 ran on 18.20.0 and are all out of the window; 20.0.0 was never used.
    expect(plan.remove.runtimes).toEqual([`${RT}/18.20.0-x64`, `${RT}/20.0.0-x64`]);
    expect(planGc(stateWith(5)).remove.runtimes).toEqual([`${RT}/20.0.0-x64`]);
  });

  it('takes the directories of destroyed apps, and nothing of an app with a build in progress', () => {
    const state = stateWith(15, { busyApps: ['a1'] });
    state.disk.appDirs.push({ appId: 'gone', area: 'cache' }, { appId: 'gone', area: 'slugs' });
    state.disk.builds = ['b-old'];
    const plan = planGc(state);
    expect(plan.collect).toEqual([]);
    expect(plan.remove.slugs).toEqual([]);
    expect(plan.remove.runtimes).toEqual([]);
    expect(plan.remove.builds).toEqual([]);
    expect(plan.remove.appDirs).toEqual([{ appId: 'gone', area: 'cache' }, { appId: 'gone', area: 'slugs' }]);
  });

  it('removes slug directories without a kept row, and finished build dirs when no build runs', () => {
    const state = stateWith(12);
    state.disk.slugs.push({ appId: 'a1', slugId: 'orphan' });
    state.slugs[0]!.collected = true;
    state.disk.builds = ['b-old'];
    const plan = planGc(state);
    expect(plan.collect.map((s) => s.slugId)).toEqual(['s2']);
    expect(plan.remove.slugs.map((s) => s.slugId)).toEqual(['s1', 's2', 'orphan']);
    expect(plan.remove.builds).toEqual(['b-old']);
  });

  it('has a window of the given size, per app', () => {
    const state = stateWith(4);
    state.apps.push({ id: 'a2', currentRelease: 1 });
    state.releases.push({ appId: 'a2', version: 1, slugId: 't1', status: 'succeeded' });
    expect([...windowSlugs(state, 2)].sort()).toEqual(['s3', 's4', 't1']);
  });
});
