import { describe, expect, it } from 'vitest';
import type { Addon, AddonAttachment, Release, Slug } from './model.js';
import type { ReleaseState } from './ports/releases-store.js';
import { planRelease, type ReleaseChange } from './release-plan.js';

/** The pure plan: plain values in, the release and its rollout out; no store, no runtime. */
const secret = () => 'SECRET';

function slug(id: string, processTypes: Record<string, string> = { web: 'node server.js' }, manifest: Slug['manifest'] = { env: {}, formation: {}, postdeploy: null }): Slug {
  return { id, appId: 'a1', buildId: `b-${id}`, processTypes, buildpack: 'nodejs', sizeBytes: 1, runtime: { nodeBinDir: null, healthchecks: {} }, createdAt: '2026-01-01T00:00:00.000Z', manifest };
}

function release(version: number, fields: Partial<Release> = {}): Release {
  return { id: `r${version}`, appId: 'a1', version, slugId: 's1', buildId: 'b1', config: {}, description: '', status: 'succeeded', failure: null, createdAt: '2026-01-01T00:00:00.000Z', addonVars: [], commit: null, ...fields };
}

function attached(name: string, url: string, addonName = 'postgres-1'): ReleaseState['attachments'][number] {
  return { attachment: { id: `att-${name}`, addonId: `ad-${name}`, appId: 'a1', name, createdAt: '2026-01-01T00:00:00.000Z' }, addonName, url };
}

function state(fields: Partial<ReleaseState> = {}): ReleaseState {
  const current = release(3, { config: { A: '1', DATABASE_URL: 'postgres://db' }, addonVars: ['DATABASE_URL'] });
  return {
    app: { id: 'a1', name: 'demo', createdAt: '2026-01-01T00:00:00.000Z', currentRelease: 3 },
    current,
    latestVersion: 4,
    attachments: [attached('DATABASE_URL', 'postgres://db')],
    formation: { web: 2 },
    settings: {},
    slug: slug('s1'),
    user: { uid: 20001, gid: 20001 },
    ...fields,
  };
}

const plan = (change: ReleaseChange, s: ReleaseState = state()) => planRelease(change, s, { secret });

describe('planRelease', () => {
  it('config set: the next version after the latest (not the current), the keys changed, the current slug and formation', () => {
    const p = plan({ kind: 'config', changes: { B: '2', A: '1' } });
    expect(p?.release).toEqual({ appId: 'a1', version: 5, slugId: 's1', buildId: 'b1', config: { A: '1', B: '2', DATABASE_URL: 'postgres://db' }, description: 'Set B, A config vars', addonVars: ['DATABASE_URL'], commit: null });
    expect(p?.configChanged).toEqual({ set: ['B'], unset: [] });
    expect(p?.target).toMatchObject({ app: 'demo', release: 5, slugId: 's1', formation: { web: 2 }, user: { uid: 20001 } });
    expect(p?.formation).toBeNull();
    expect(p?.attachment).toBeNull();
  });

  it('config unset, and a change that leaves the config as it is plans nothing', () => {
    expect(plan({ kind: 'config', changes: { A: null } })).toMatchObject({ release: { description: 'Unset A config vars', config: { DATABASE_URL: 'postgres://db' } }, configChanged: { set: [], unset: ['A'] } });
    expect(plan({ kind: 'config', changes: { A: '1' } })).toBeNull();
    expect(plan({ kind: 'config', changes: { NEVER_SET: null } })).toBeNull();
  });

  it('config: a var an attachment sets is refused, naming the add-on', () => {
    expect(() => plan({ kind: 'config', changes: { DATABASE_URL: 'x' } })).toThrow(expect.objectContaining({ code: 'CONFIG_VAR_ATTACHED', message: expect.stringContaining('postgres-1') }));
  });

  it('build: the new slug, app.json env for unset vars (secrets from the generator), app.json formation for new types', () => {
    const built = slug('s2', { web: 'node server.js', worker: 'node worker.js', release: 'node migrate.js' }, {
      env: { A: { value: 'ignored', generator: null, required: false }, TOKEN: { value: null, generator: 'secret', required: false } },
      formation: { worker: 3 },
      postdeploy: null,
    });
    const p = plan({ kind: 'build', slug: built, buildId: 'b2', commit: '0123456789abcdef' });
    expect(p?.release).toMatchObject({ version: 5, slugId: 's2', buildId: 'b2', commit: '0123456789abcdef', description: 'Deploy 0123456 (app.json set TOKEN)', config: { A: '1', TOKEN: 'SECRET', DATABASE_URL: 'postgres://db' } });
    expect(p?.formation).toEqual({ web: 2, worker: 3, release: 0 });
    expect(p?.releasePhase).toBe('node migrate.js');
    expect(p?.target?.processTypes).toEqual(built.processTypes);
  });

  it('build without a commit names the build', () => {
    expect(plan({ kind: 'build', slug: slug('s2'), buildId: 'abcdef1234567', commit: null })?.release.description).toBe('Deploy abcdef12');
  });

  it('first release without a slug: a release, nothing to run', () => {
    const p = plan({ kind: 'config', changes: { A: '1' } }, state({ current: undefined, latestVersion: 0, attachments: [], slug: undefined, user: null, formation: {} }));
    expect(p?.release).toMatchObject({ version: 1, slugId: null, buildId: null, config: { A: '1' }, addonVars: [] });
    expect(p?.target).toBeNull();
    expect(p?.steps).toEqual([]);
    expect(p?.releasePhase).toBeNull();
  });

  it('attach: the add-on URL under the attachment name, the attachment to insert; a taken name is refused', () => {
    const attachment: AddonAttachment = { id: 'att-new', addonId: 'ad-redis', appId: 'a1', name: 'REDIS_URL', createdAt: '2026-01-02T00:00:00.000Z' };
    const addon = { id: 'ad-redis', name: 'redis-1', url: 'redis://r' } as Addon;
    const p = plan({ kind: 'attach', attachment, addon });
    expect(p?.release).toMatchObject({ description: 'Attach redis-1 as REDIS_URL', config: { A: '1', DATABASE_URL: 'postgres://db', REDIS_URL: 'redis://r' }, addonVars: ['DATABASE_URL', 'REDIS_URL'] });
    expect(p?.attachment).toEqual({ insert: attachment });
    expect(p?.configChanged).toEqual({ set: ['REDIS_URL'], unset: [] });
    expect(() => plan({ kind: 'attach', attachment: { ...attachment, name: 'DATABASE_URL' }, addon })).toThrow(expect.objectContaining({ code: 'ADDON_ATTACHMENT_NAME_TAKEN' }));
    expect(() => plan({ kind: 'attach', attachment: { ...attachment, name: 'A' }, addon })).toThrow(expect.objectContaining({ code: 'ADDON_ATTACHMENT_NAME_TAKEN', message: expect.stringContaining('config:set') }));
  });

  it('detach: the var goes with the attachment', () => {
    const s = state();
    const attachment = s.attachments[0]?.attachment as AddonAttachment;
    const p = plan({ kind: 'detach', attachment, description: 'Detach postgres-1 (DATABASE_URL)' }, s);
    expect(p?.release).toMatchObject({ description: 'Detach postgres-1 (DATABASE_URL)', config: { A: '1' }, addonVars: [] });
    expect(p?.attachment).toEqual({ delete: attachment });
    expect(p?.configChanged).toEqual({ set: [], unset: ['DATABASE_URL'] });
  });

  it('rollback to a version: its slug, config and commit; add-on vars it had are replaced by today’s attachments', () => {
    const to = release(1, { slugId: 's0', buildId: 'b0', commit: 'c0', config: { A: 'old', OLD_DB: 'postgres://gone' }, addonVars: ['OLD_DB'] });
    const p = plan({ kind: 'rollback', to }, state({ slug: slug('s0', { web: 'node old.js' }) }));
    expect(p?.release).toMatchObject({ version: 5, slugId: 's0', buildId: 'b0', commit: 'c0', description: 'Rollback to v1', config: { A: 'old', DATABASE_URL: 'postgres://db' }, addonVars: ['DATABASE_URL'] });
    expect(p?.target?.processTypes).toEqual({ web: 'node old.js' });
    expect(p?.configChanged).toEqual({ set: ['A'], unset: [] });
  });

  it('promote: the promoted slug with the target\'s own config and add-ons, no build, its release phase, "Promote from <app> v12"', () => {
    const promoted = slug('p1', { web: 'node server.js', release: 'node migrate.js' }, { env: { A: { value: 'from-app-json', generator: null, required: false }, NEW: { value: 'default', generator: null, required: false } }, formation: {}, postdeploy: null });
    const p = plan({ kind: 'promote', slug: promoted, from: { app: 'staging', version: 12, commit: 'c'.repeat(40) } }, state({ slug: promoted }));
    expect(p?.release).toEqual({
      appId: 'a1',
      version: 5,
      slugId: 'p1',
      buildId: null,
      config: { A: '1', NEW: 'default', DATABASE_URL: 'postgres://db' },
      description: 'Promote from staging v12 (app.json set NEW)',
      addonVars: ['DATABASE_URL'],
      commit: 'c'.repeat(40),
    });
    expect(p?.target).toMatchObject({ slugId: 'p1', config: { A: '1', DATABASE_URL: 'postgres://db' } });
    expect(p?.releasePhase).toBe('node migrate.js');
    const bare = slug('p2');
    expect(plan({ kind: 'promote', slug: bare, from: { app: 'staging', version: 12, commit: null } }, state({ slug: bare }))?.release.description).toBe('Promote from staging v12');
  });

  it('rollback to a release whose slug the store no longer has: the release keeps its slug id, nothing runs', () => {
    const p = plan({ kind: 'rollback', to: release(1, { slugId: 'gone' }) }, state({ slug: undefined }));
    expect(p?.release.slugId).toBe('gone');
    expect(p?.target).toBeNull();
  });

  it('refresh (an add-on URL changed): same slug and config, the attachment vars as they are now', () => {
    const p = plan({ kind: 'refresh', description: 'Rotate credentials of postgres-1' }, state({ attachments: [attached('DATABASE_URL', 'postgres://rotated')] }));
    expect(p?.release).toMatchObject({ description: 'Rotate credentials of postgres-1', config: { A: '1', DATABASE_URL: 'postgres://rotated' } });
    expect(p?.configChanged).toEqual({ set: ['DATABASE_URL'], unset: [] });
  });

  it('release phase present: it is in the plan and never a formation process', () => {
    const s = state({ slug: slug('s1', { web: 'node server.js', release: 'node migrate.js' }) });
    const p = plan({ kind: 'config', changes: { B: '1' } }, s);
    expect(p?.releasePhase).toBe('node migrate.js');
    expect(p?.target?.formation).toEqual({ web: 2, release: 0 });
    expect(p?.formation).toEqual({ web: 2, release: 0 });
  });

  it('with the observed runtime: the steps the rollout takes (start-first web, stop-first worker)', () => {
    const s = state({ slug: slug('s1', { web: 'w', worker: 'k' }), formation: { web: 1, worker: 1 } });
    const observed = {
      processes: [
        { id: 'p1', type: 'web', index: 1, release: 3, generation: 0, state: 'up' as const, restartDueAt: null },
        { id: 'p2', type: 'worker', index: 1, release: 3, generation: 0, state: 'up' as const, restartDueAt: null },
      ],
      generations: {},
    };
    const p = planRelease({ kind: 'config', changes: { B: '1' } }, s, { secret, observed });
    expect(p?.steps).toEqual([
      [
        { action: 'start', process: 'web.1', release: 5, reason: null },
        { action: 'stop', process: 'worker.1', release: 3, reason: 'replaced' },
      ],
      [
        { action: 'stop', process: 'web.1', release: 3, reason: 'replaced' },
        { action: 'start', process: 'worker.1', release: 5, reason: null },
      ],
    ]);
  });
});
