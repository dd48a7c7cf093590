import { describe, expect, it } from 'vitest';
import type { App, Build, Release } from '../core/model.js';
import type { Store } from '../core/ports.js';

/** The behaviour every Store implementation must have. Run it against each dialect. */
export function storeConformance(name: string, open: () => Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    const app = (n: string): App => ({ id: `id-${n}`, name: n, createdAt: '2026-01-01T00:00:00.000Z', currentRelease: null });
    const release = (appId: string, version: number, status: Release['status'] = 'succeeded'): Release => ({
      id: `${appId}-r${version}`,
      appId,
      version,
      slugId: null,
      buildId: null,
      config: { A: 'x\ny', 'B': '$(id)' },
      description: `v${version}`,
      status,
      failure: null,
      createdAt: `2026-01-01T00:00:0${version}.000Z`,
      commit: null,
    });

    it('keeps apps by unique name and lists them sorted', async () => {
      const store = await open();
      await store.insertApp(app('zeta'));
      await store.insertApp(app('alpha'));
      await expect(store.insertApp({ ...app('alpha'), id: 'other' })).rejects.toThrow();
      expect((await store.listApps()).map((a) => a.name)).toEqual(['alpha', 'zeta']);
      expect(await store.findApp('nope')).toBeUndefined();
      await store.close();
    });

    it('numbers releases per app, round-trips config exactly and tracks the current one', async () => {
      const store = await open();
      await store.insertApp(app('web'));
      expect(await store.latestReleaseVersion('id-web')).toBe(0);
      await store.insertRelease(release('id-web', 1));
      await store.insertRelease(release('id-web', 2, 'pending'));
      await expect(store.insertRelease({ ...release('id-web', 2), id: 'dup' })).rejects.toThrow();
      expect(await store.latestReleaseVersion('id-web')).toBe(2);
      await store.updateRelease('id-web', 2, { status: 'failed', failure: 'boom' });
      const listed = await store.listReleases('id-web', 10);
      expect(listed.map((r) => [r.version, r.status, r.failure])).toEqual([[2, 'failed', 'boom'], [1, 'succeeded', null]]);
      expect(listed[1]?.config).toEqual({ A: 'x\ny', B: '$(id)' });
      await store.setCurrentRelease('id-web', 1);
      expect((await store.findApp('web'))?.currentRelease).toBe(1);
      await store.close();
    });

    it('stores builds with errors and output, newest first', async () => {
      const store = await open();
      await store.insertApp(app('web'));
      const build = (id: string, createdAt: string): Build => ({ id, appId: 'id-web', status: 'pending', buildpack: null, slugId: null, release: null, error: null, createdAt, finishedAt: null, commit: null });
      await store.insertBuild(build('b1', '2026-01-01T00:00:01.000Z'));
      await store.insertBuild(build('b2', '2026-01-01T00:00:02.000Z'));
      await store.updateBuild('b1', { status: 'failed', error: { code: 'BUILD_FAILED', message: 'm', hint: 'h' } });
      await store.saveBuildOutput('b1', 'line 1\nline 2\n');
      expect((await store.listBuilds('id-web', 10)).map((b) => b.id)).toEqual(['b2', 'b1']);
      expect((await store.findBuild('id-web', 'b1'))?.error?.code).toBe('BUILD_FAILED');
      expect(await store.findBuild('other', 'b1')).toBeUndefined();
      expect(await store.getBuildOutput('b1')).toBe('line 1\nline 2\n');
      await store.close();
    });

    it('replaces the formation, rolls back failed transactions and deletes an app with all it owns', async () => {
      const store = await open();
      await store.insertApp(app('web'));
      await store.setFormation('id-web', { web: 2, worker: 0 });
      await store.setFormation('id-web', { web: 1 });
      expect(await store.getFormation('id-web')).toEqual({ web: 1 });
      await expect(
        store.transaction(async (tx) => {
          await tx.insertRelease(release('id-web', 1));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store.latestReleaseVersion('id-web')).toBe(0);
      await store.insertRelease(release('id-web', 1));
      await store.deleteApp('id-web');
      expect(await store.findApp('web')).toBeUndefined();
      expect(await store.listReleases('id-web', 10)).toEqual([]);
      expect(await store.getFormation('id-web')).toEqual({});
      await store.close();
    });

    it('keeps the git commit of builds and releases, and a deploy branch per app', async () => {
      const store = await open();
      await store.insertApp(app('web'));
      await store.insertApp(app('api'));
      const commit = 'a'.repeat(40);
      await store.insertRelease({ ...release('id-web', 1), commit });
      expect((await store.findRelease('id-web', 1))?.commit).toBe(commit);
      await store.insertBuild({ id: 'b1', appId: 'id-web', status: 'pending', buildpack: null, slugId: null, release: null, error: null, createdAt: '2026-01-01T00:00:01.000Z', finishedAt: null, commit });
      expect((await store.findBuild('id-web', 'b1'))?.commit).toBe(commit);
      expect(await store.getDeployBranch('id-web')).toBeNull();
      await store.setDeployBranch('id-web', 'production');
      expect(await store.getDeployBranch('id-web')).toBe('production');
      expect(await store.getDeployBranch('id-api')).toBeNull();
      await store.setDeployBranch('id-web', null);
      expect(await store.getDeployBranch('id-web')).toBeNull();
      await store.close();
    });

    it('finds tokens by hash only', async () => {
      const store = await open();
      await store.insertToken({ id: 't1', hash: 'h1', role: 'admin', description: 'admin', createdAt: '2026-01-01T00:00:00.000Z' });
      expect((await store.findTokenByHash('h1'))?.id).toBe('t1');
      expect(await store.findTokenByHash('t1')).toBeUndefined();
      await store.close();
    });
  });
}
