import { describe, expect, it } from 'vitest';
import type { Addon, App, AuditEvent, Build, Release } from '../core/model.js';
import type { Store } from '../core/ports/store.js';

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
      await store.updateBuild('b1', { status: 'building' });
      await store.finishBuild('b1', { status: 'failed', error: { code: 'BUILD_FAILED', message: 'm', hint: 'h' } }, 'line 1\nline 2\n');
      expect((await store.listBuilds('id-web', 10)).map((b) => b.id)).toEqual(['b2', 'b1']);
      expect(await store.findBuild('id-web', 'b1')).toMatchObject({ status: 'failed', error: { code: 'BUILD_FAILED' } });
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

    it('keeps add-ons by unique name, one attachment name per app, and the add-on vars of each release', async () => {
      const store = await open();
      await store.insertApp(app('owner'));
      await store.insertApp(app('other'));
      const addon: Addon = { id: 'ad1', name: 'postgres-1', provider: 'postgres', plan: 'dev', appId: 'id-owner', url: 'postgres://u:p@h/d', resource: { database: 'd', role: 'u' }, createdAt: '2026-01-01T00:00:00.000Z' };
      await store.insertAddon(addon);
      await expect(store.insertAddon({ ...addon, id: 'ad2' })).rejects.toThrow();
      const attach = (id: string, appId: string, name: string) => store.insertAttachment({ id, addonId: 'ad1', appId, name, createdAt: '2026-01-01T00:00:00.000Z' });
      await attach('at1', 'id-owner', 'DATABASE_URL');
      await attach('at2', 'id-other', 'OWNER_DATABASE_URL');
      await expect(attach('at3', 'id-owner', 'DATABASE_URL')).rejects.toThrow();
      expect(await store.findAddon('postgres-1')).toEqual(addon);
      expect((await store.listAttachments({ addonId: 'ad1' })).map((a) => a.name).sort()).toEqual(['DATABASE_URL', 'OWNER_DATABASE_URL']);
      expect((await store.listAttachments({ appId: 'id-other' })).map((a) => a.id)).toEqual(['at2']);
      await store.updateAddonUrl('ad1', 'postgres://u:new@h/d');
      expect((await store.findAddonById('ad1'))?.url).toBe('postgres://u:new@h/d');
      expect((await store.listAddons('id-other')).length).toBe(0);

      await store.insertRelease({ ...release('id-owner', 1), addonVars: ['DATABASE_URL'] });
      await store.insertRelease(release('id-owner', 2));
      expect((await store.findRelease('id-owner', 1))?.addonVars).toEqual(['DATABASE_URL']);
      expect((await store.findRelease('id-owner', 2))?.addonVars).toEqual([]);

      await store.deleteApp('id-other');
      expect((await store.listAttachments({ addonId: 'ad1' })).map((a) => a.id)).toEqual(['at1']);
      await store.deleteAddon('ad1');
      expect(await store.findAddon('postgres-1')).toBeUndefined();
      expect(await store.listAttachments({ appId: 'id-owner' })).toEqual([]);
      await store.close();
    });

    it('keeps each domain hostname once, lists them per app and deletes them with their app', async () => {
      const store = await open();
      await store.insertApp(app('shop'));
      await store.insertApp(app('blog'));
      const domain = (id: string, appId: string, hostname: string) => ({ id, appId, hostname, createdAt: '2026-01-01T00:00:00.000Z' });
      await store.insertDomain(domain('d1', 'id-shop', 'www.shop.test'));
      await store.insertDomain(domain('d2', 'id-shop', '*.shop.test'));
      await store.insertDomain(domain('d3', 'id-blog', 'blog.test'));
      await expect(store.insertDomain(domain('d4', 'id-blog', 'www.shop.test'))).rejects.toThrow();
      expect((await store.listDomains('id-shop')).map((d) => d.hostname)).toEqual(['*.shop.test', 'www.shop.test']);
      expect((await store.listDomains()).map((d) => d.id)).toEqual(['d2', 'd3', 'd1']);
      expect((await store.findDomain('blog.test'))?.appId).toBe('id-blog');
      await store.deleteDomain('d3');
      expect(await store.findDomain('blog.test')).toBeUndefined();
      await store.deleteApp('id-shop');
      expect(await store.listDomains()).toEqual([]);
      await store.close();
    });

    it('keeps certificates per app (one name each), replaces one in place, and HTTPS settings; both go with their app', async () => {
      const store = await open();
      await store.insertApp(app('shop'));
      const cert = (id: string, name: string, keyPem: string) => ({
        id, appId: 'id-shop', name, source: 'manual' as const, chainPem: 'CHAIN', keyPem, names: ['www.shop.test'], subject: 'CN=www.shop.test', issuer: 'CN=CA',
        notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2026-04-01T00:00:00.000Z', fingerprint: 'AB:CD', chainLength: 2, createdAt: `2026-01-01T00:00:0${id.slice(1)}.000Z`, updatedAt: '2026-01-01T00:00:00.000Z',
      });
      await store.insertCertificate(cert('c1', 'shop-1', 'KEY1'));
      await store.insertCertificate(cert('c2', 'shop-2', 'KEY2'));
      await expect(store.insertCertificate(cert('c3', 'shop-1', 'KEY3'))).rejects.toThrow();
      await store.updateCertificate({ ...cert('c1', 'ignored', 'KEY1B'), notAfter: '2026-07-01T00:00:00.000Z' });
      expect((await store.listCertificates('id-shop')).map((c) => [c.name, c.keyPem, c.notAfter])).toEqual([['shop-1', 'KEY1B', '2026-07-01T00:00:00.000Z'], ['shop-2', 'KEY2', '2026-04-01T00:00:00.000Z']]);
      await store.deleteCertificate('c2');
      expect(await store.getHttpsSettings('id-shop')).toBeUndefined();
      await store.setHttpsSettings('id-shop', { mode: 'redirect', hstsMaxAge: 300 });
      await store.setHttpsSettings('id-shop', { mode: 'redirect', hstsMaxAge: null });
      expect(await store.getHttpsSettings('id-shop')).toEqual({ mode: 'redirect', hstsMaxAge: null });
      expect([...(await store.listHttpsSettings()).keys()]).toEqual(['id-shop']);
      await store.deleteApp('id-shop');
      expect(await store.listCertificates()).toEqual([]);
      expect((await store.listHttpsSettings()).size).toBe(0);
      await store.close();
    });

    it('keeps one ACME account key per CA, the apps with automatic certificates and their domains\' states', async () => {
      const store = await open();
      await store.insertApp(app('shop'));
      await store.setAcmeAccountKey('https://ca.test/directory', 'KEY-A');
      await store.setAcmeAccountKey('https://ca.test/directory', 'KEY-B');
      expect(await store.getAcmeAccountKey('https://ca.test/directory')).toBe('KEY-B');
      expect(await store.getAcmeAccountKey('https://other.test/directory')).toBeUndefined();
      await store.setAcmeApp('id-shop', true);
      expect(await store.listAcmeApps()).toEqual(['id-shop']);
      const row = { appId: 'id-shop', hostname: 'www.shop.test', state: 'pending' as const, reason: null, nextAt: '2026-01-01T00:00:00.000Z', failures: 0 };
      await store.putAcmeDomain(row);
      await store.putAcmeDomain({ ...row, hostname: 'a.shop.test' });
      await store.putAcmeDomain({ ...row, state: 'failing', reason: 'refused', failures: 2 });
      expect(await store.listAcmeDomains('id-shop')).toEqual([{ ...row, hostname: 'a.shop.test' }, { ...row, state: 'failing', reason: 'refused', failures: 2 }]);
      await store.deleteAcmeDomains('id-shop', 'a.shop.test');
      expect((await store.listAcmeDomains()).map((d) => d.hostname)).toEqual(['www.shop.test']);
      await store.deleteApp('id-shop');
      expect(await store.listAcmeApps()).toEqual([]);
      expect(await store.listAcmeDomains()).toEqual([]);
      await store.close();
    });

    it('keeps buildpacks per app in order, slug digests and manifests, and build phases', async () => {
      const store = await open();
      await store.insertApp(app('web'));
      expect(await store.getBuildpacks('id-web')).toEqual([]);
      await store.setBuildpacks('id-web', ['https://example.com/b.git#v1', 'node']);
      await store.setBuildpacks('id-web', ['procfile', '/srv/bp', 'node']);
      expect(await store.getBuildpacks('id-web')).toEqual(['procfile', '/srv/bp', 'node']);
      const manifest = { env: { A: { value: 'x', generator: null, required: true } }, formation: { web: 2 }, postdeploy: 'node seed.js' };
      await store.insertSlug({ id: 's1', appId: 'id-web', buildId: 'b1', processTypes: { web: 'x' }, buildpack: 'node', sizeBytes: 5, runtime: { nodeBinDir: null, healthchecks: {} }, createdAt: '2026-01-01T00:00:00.000Z', digest: 'abc', manifest });
      expect(await store.findSlug('s1')).toMatchObject({ digest: 'abc', manifest });
      // Garbage collection marks a slug collected, and a rebuild of the same content keeps it again.
      expect((await store.findSlug('s1'))?.collectedAt).toBeUndefined();
      await store.markSlugsCollected(['s1'], '2026-02-01T00:00:00.000Z');
      expect((await store.listSlugs()).map((s) => [s.id, s.collectedAt])).toEqual([['s1', '2026-02-01T00:00:00.000Z']]);
      await store.markSlugsCollected(['s1'], null);
      expect((await store.findSlug('s1'))?.collectedAt).toBeUndefined();
      await store.insertBuild({ id: 'b1', appId: 'id-web', status: 'pending', buildpack: null, slugId: null, release: null, error: null, commit: null, createdAt: '2026-01-01T00:00:01.000Z', finishedAt: null });
      expect((await store.findBuild('id-web', 'b1'))?.phases).toBeUndefined();
      await store.updateBuild('b1', { phases: [{ name: 'detect', ms: 3 }], warnings: ['No lockfile'], checks: [{ id: 'II.engines-pinned', factor: 'II', title: 't', status: 'warn', evidence: ['e'], hint: 'h' }] });
      expect((await store.findBuild('id-web', 'b1'))).toMatchObject({ phases: [{ name: 'detect', ms: 3 }], warnings: ['No lockfile'], checks: [{ id: 'II.engines-pinned', status: 'warn', evidence: ['e'] }] });
      await store.deleteApp('id-web');
      expect(await store.getBuildpacks('id-web')).toEqual([]);
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

    it('finds tokens by hash only, and keeps their owner, limits, revocation and last use', async () => {
      const store = await open();
      const base = { role: 'user' as const, description: 'ci', createdAt: '2026-01-01T00:00:00.000Z', userId: 'u1', appId: 'id-web', permissions: ['view' as const, 'deploy' as const], expiresAt: '2026-02-01T00:00:00.000Z', revokedAt: null, lastUsedAt: null };
      await store.insertToken({ ...base, id: 't1', hash: 'h1', role: 'admin', userId: null, appId: null, permissions: null, expiresAt: null });
      await store.insertToken({ ...base, id: 't2', hash: 'h2' });
      expect((await store.findTokenByHash('h1'))?.id).toBe('t1');
      expect(await store.findTokenByHash('t1')).toBeUndefined();
      expect(await store.findTokenByHash('h2')).toEqual({ ...base, id: 't2', hash: 'h2' });
      await store.revokeToken('t2', '2026-01-02T00:00:00.000Z');
      await store.touchToken('t2', '2026-01-03T00:00:00.000Z');
      expect(await store.findToken('t2')).toMatchObject({ revokedAt: '2026-01-02T00:00:00.000Z', lastUsedAt: '2026-01-03T00:00:00.000Z' });
      expect((await store.listTokens('u1')).map((t) => t.id)).toEqual(['t2']);
      expect((await store.listTokens(null)).map((t) => t.id)).toEqual(['t1']);
      await store.close();
    });

    it('keeps users, app owners and collaborators; removing a user takes their tokens and access, and their apps pass to the admin', async () => {
      const store = await open();
      await store.insertApp(app('web'));
      const user = { id: 'u1', email: 'ada@example.com', passwordHash: null, setupCodeHash: 'c1', setupExpiresAt: '2026-01-02T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z' };
      await store.insertUser(user);
      await store.insertUser({ ...user, id: 'u2', email: 'bob@example.com', setupCodeHash: null });
      await expect(store.insertUser({ ...user, id: 'u3' })).rejects.toThrow();
      expect(await store.findUserBySetupCode('c1')).toEqual(user);
      await store.updateUser('u1', { passwordHash: 'scrypt$x', setupCodeHash: null, setupExpiresAt: null });
      expect(await store.findUserByEmail('ada@example.com')).toMatchObject({ passwordHash: 'scrypt$x', setupCodeHash: null });
      expect(await store.appOwner('id-web')).toBeNull();
      await store.setAppOwner('id-web', 'u1');
      await store.putAppAccess('id-web', 'u2', ['view']);
      await store.putAppAccess('id-web', 'u2', ['view', 'deploy']);
      expect(await store.listAppAccess('id-web')).toEqual([{ appId: 'id-web', userId: 'u2', permissions: ['view', 'deploy'] }]);
      expect(await store.appIdsOf('u1')).toEqual(['id-web']);
      expect(await store.appIdsOf('u2')).toEqual(['id-web']);
      await store.insertToken({ id: 't1', hash: 'h1', role: 'user', description: 'x', createdAt: user.createdAt, userId: 'u1', appId: null, permissions: null, expiresAt: null, revokedAt: null, lastUsedAt: null });
      await store.deleteUser('u1');
      expect(await store.findTokenByHash('h1')).toBeUndefined();
      expect(await store.appOwner('id-web')).toBeNull();
      expect((await store.listUsers()).map((u) => u.email)).toEqual(['bob@example.com']);
      await store.deleteApp('id-web');
      expect(await store.appIdsOf('u2')).toEqual([]);
      await store.close();
    });

    it('keeps drains per app, one per URL, in creation order, and deletes them with the app', async () => {
      const store = await open();
      await store.insertApp(app('drained'));
      const drain = (id: string, url: string, at: string) => ({ id, appId: 'id-drained', url, createdAt: `2026-01-01T00:00:0${at}.000Z` });
      await store.insertDrain(drain('d2', 'syslog://logs.example.com:514', '2'));
      await store.insertDrain(drain('d1', 'https://user:secret@logs.example.com/in', '1'));
      await expect(store.insertDrain(drain('d3', 'syslog://logs.example.com:514', '3'))).rejects.toThrow();
      expect((await store.listDrains('id-drained')).map((d) => d.id)).toEqual(['d1', 'd2']);
      expect((await store.listDrains('id-drained'))[0]?.url).toBe('https://user:secret@logs.example.com/in');
      await store.deleteDrain('id-drained', 'd1');
      expect((await store.listDrains('id-drained')).map((d) => d.id)).toEqual(['d2']);
      await store.deleteApp('id-drained');
      expect(await store.listDrains('id-drained')).toEqual([]);
      await store.close();
    });

    it('keeps scheduled jobs (app.json ones replaced, cli ones kept), their runs and the maintenance flag, and deletes them with the app', async () => {
      const store = await open();
      await store.insertApp(app('timed'));
      const job = (id: string, source: 'cli' | 'app.json', at: string) => ({ id, appId: 'id-timed', schedule: '*/5 * * * *', command: ['node', `${id}.js`], source, createdAt: `2026-01-01T00:00:0${at}.000Z` });
      await store.insertCronJob(job('c1', 'cli', '1'));
      await store.replaceAppJsonCronJobs('id-timed', [job('a1', 'app.json', '2'), job('a2', 'app.json', '3')]);
      await store.replaceAppJsonCronJobs('id-timed', [job('a3', 'app.json', '4')]);
      expect((await store.listCronJobs('id-timed')).map((j) => [j.id, j.source, j.command[1]])).toEqual([['c1', 'cli', 'c1.js'], ['a3', 'app.json', 'a3.js']]);
      const run = (id: string, trigger: 'schedule' | 'manual', at: string, process: string | null) => ({ id, jobId: 'c1', appId: 'id-timed', scheduledFor: `2026-01-01T00:0${at}:00.000Z`, trigger, status: 'running' as const, process, startedAt: `2026-01-01T00:0${at}:00.000Z`, finishedAt: null, exitCode: null, note: null });
      await store.insertCronRun(run('r1', 'schedule', '1', 'scheduler.1'));
      await store.insertCronRun(run('r2', 'manual', '2', null));
      await store.finishCronRun('r1', { status: 'failed', finishedAt: '2026-01-01T00:01:05.000Z', exitCode: 2, note: null });
      expect(await store.lastCronSchedule('c1')).toBe('2026-01-01T00:01:00.000Z');
      expect(await store.countCronProcesses('id-timed')).toBe(1);
      expect((await store.listCronRuns('id-timed', { jobId: 'c1', limit: 10 })).map((r) => [r.id, r.status, r.exitCode])).toEqual([['r2', 'running', null], ['r1', 'failed', 2]]);
      expect(await store.abandonCronRuns('2026-01-01T00:05:00.000Z', 'the platform stopped')).toBe(1);
      expect((await store.listCronRuns('id-timed', { limit: 1 }))[0]).toMatchObject({ id: 'r2', status: 'failed', note: 'the platform stopped' });
      expect(await store.getMaintenance('id-timed')).toBe(false);
      await store.setMaintenance('id-timed', true);
      expect(await store.listMaintenance()).toEqual(['id-timed']);
      await store.deleteCronJob('id-timed', 'c1');
      expect((await store.listCronJobs()).map((j) => j.id)).toEqual(['a3']);
      await store.deleteApp('id-timed');
      expect(await store.listCronJobs()).toEqual([]);
      expect(await store.listCronRuns('id-timed', { limit: 10 })).toEqual([]);
      expect(await store.listMaintenance()).toEqual([]);
      await store.close();
    });

    it('gives each app its own uid, the same on every call and never one an app had before', async () => {
      const store = await open();
      await store.insertApp(app('one'));
      await store.insertApp(app('two'));
      const one = await store.appUid('id-one', 70000);
      expect(one).toBe(70000);
      expect(await store.appUid('id-one', 70000)).toBe(70000);
      const two = await store.appUid('id-two', 70000);
      expect(two).toBe(70001);
      await store.deleteApp('id-two');
      await store.insertApp(app('three'));
      expect(await store.appUid('id-three', 70000)).toBe(70002);
      await store.close();
    });

    it('loads the state a release plan reads in one call, and marks a release succeeded and current', async () => {
      const store = await open();
      await store.insertApp(app('web'));
      expect(await store.loadReleaseState('id-none', { slugId: 'current', uidBase: 5000 })).toBeUndefined();
      const empty = await store.loadReleaseState('id-web', { slugId: 'current', uidBase: 5000 });
      expect(empty).toEqual({ app: app('web'), current: undefined, latestVersion: 0, attachments: [], formation: {}, settings: {}, slug: undefined, user: null, requiredChecks: [] });
      await store.insertSlug({ id: 's1', appId: 'id-web', buildId: 'b1', processTypes: { web: 'x' }, buildpack: 'node', sizeBytes: 5, runtime: { nodeBinDir: null, healthchecks: {} }, createdAt: '2026-01-01T00:00:00.000Z' });
      await store.insertRelease({ ...release('id-web', 1), slugId: 's1' });
      await store.insertRelease(release('id-web', 2, 'pending'));
      await store.setCurrentRelease('id-web', 1);
      await store.setFormation('id-web', { web: 2 });
      await store.setProcessSettings('id-web', 'web', { graceSeconds: 3 });
      await store.setRequiredChecks('id-web', ['III', 'XI.logs-to-stdout']);
      await store.insertAddon({ id: 'ad1', name: 'pg-1', provider: 'postgres', plan: 'dev', appId: 'id-web', url: 'postgres://one', resource: {}, createdAt: '2026-01-01T00:00:00.000Z' });
      await store.insertAttachment({ id: 'at1', addonId: 'ad1', appId: 'id-web', name: 'DATABASE_URL', createdAt: '2026-01-01T00:00:00.000Z' });
      const state = await store.loadReleaseState('id-web', { slugId: 'current', uidBase: 5000 });
      expect(state).toMatchObject({ app: { currentRelease: 1 }, current: { version: 1, slugId: 's1' }, latestVersion: 2, formation: { web: 2 }, settings: { web: { graceSeconds: 3 } }, slug: { id: 's1', processTypes: { web: 'x' } }, requiredChecks: ['III', 'XI.logs-to-stdout'] });
      expect(state?.attachments).toEqual([{ attachment: { id: 'at1', addonId: 'ad1', appId: 'id-web', name: 'DATABASE_URL', createdAt: '2026-01-01T00:00:00.000Z' }, addonName: 'pg-1', url: 'postgres://one' }]);
      const uid = await store.appUid('id-web', 5000);
      expect(state?.user).toEqual({ uid, gid: uid });
      expect((await store.loadReleaseState('id-web', { slugId: 'missing', uidBase: 5000 }))?.slug).toBeUndefined();
      await store.markReleaseCurrent('id-web', 2);
      expect((await store.findApp('web'))?.currentRelease).toBe(2);
      expect((await store.findRelease('id-web', 2))?.status).toBe('succeeded');
      await store.setRequiredChecks('id-web', []);
      expect(await store.getRequiredChecks('id-web')).toEqual([]);
      await store.close();
    });

    it('keeps per process type settings, replaced as a whole and removed with the app', async () => {
      const store = await open();
      await store.insertApp(app('web'));
      expect(await store.getProcessSettings('id-web')).toEqual({});
      await store.setProcessSettings('id-web', 'web', { graceSeconds: 5, bootTimeoutSeconds: 120, strategy: 'stop-first' });
      await store.setProcessSettings('id-web', 'worker', { graceSeconds: 1 });
      await store.setProcessSettings('id-web', 'worker', { strategy: 'start-first', size: 'standard-2x' });
      expect(await store.getProcessSettings('id-web')).toEqual({ web: { graceSeconds: 5, bootTimeoutSeconds: 120, strategy: 'stop-first' }, worker: { strategy: 'start-first', size: 'standard-2x' } });
      await store.setProcessSettings('id-web', 'web', {});
      expect(await store.getProcessSettings('id-web')).toEqual({ worker: { strategy: 'start-first', size: 'standard-2x' } });
      await store.deleteApp('id-web');
      expect(await store.getProcessSettings('id-web')).toEqual({});
      await store.close();
    });
    it('appends audit events in order, filters by app and time, and keeps them after the app is gone', async () => {
      const store = await open();
      const event = (n: number, appName: string | null): AuditEvent => ({
        id: `ev-${n}`,
        time: `2026-01-01T00:00:0${n}.000Z`,
        actor: { tokenId: 't1', userId: n === 2 ? 'u1' : null, label: n === 2 ? 'ada@example.com' : 'admin' },
        app: appName,
        action: 'updateConfig',
        method: 'PATCH',
        path: `/apps/${appName ?? '-'}/config`,
        params: { body: { GREETING: '[redacted]' } },
        result: { status: n === 3 ? 403 : 200, code: n === 3 ? 'PERMISSION_DENIED' : null },
        requestId: `req-${n}`,
        remoteAddress: '127.0.0.1',
      });
      // Appended out of time order: the trail keeps the order of appending.
      for (const [n, appName] of [[1, 'shop'], [3, 'shop'], [2, null], [4, 'other']] as const) await store.appendAudit(event(n, appName));
      expect((await store.listAudit({ limit: 10 })).map((e) => e.id)).toEqual(['ev-1', 'ev-3', 'ev-2', 'ev-4']);
      expect(await store.listAudit({ app: 'shop', limit: 10 })).toEqual([event(1, 'shop'), event(3, 'shop')]);
      expect((await store.listAudit({ limit: 2 })).map((e) => e.id)).toEqual(['ev-2', 'ev-4']);
      expect((await store.listAudit({ sinceMs: Date.parse('2026-01-01T00:00:03.000Z'), limit: 10 })).map((e) => e.id)).toEqual(['ev-3', 'ev-4']);
      await expect(store.appendAudit(event(1, 'shop'))).rejects.toThrow();
      await store.close();
    });
  });
}
