import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, gitIn, type Git } from './support/git.js';
import { eventually, ROOT, TestPlatform } from './support/platform.js';

interface WireRelease {
  version: number;
  description: string;
  current: boolean;
  slug: string | null;
  build: string | null;
  slugDigest?: string | null;
}

interface Answer {
  greeting: string | null;
  reviewFlag: string | null;
  redis: string | null;
  release: string;
}

/** Issue 17, acceptance 3 (promotion) and 4 (review apps), on one platform. */
describe('pipelines: promotion and review apps', () => {
  let platform: TestPlatform;
  let git: Git;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-pipe-'));
  const repo = join(scratch, 'shop');
  const ok = (args: string[], cwd?: string) => platform.ok(args, cwd ? { cwd } : {});
  const json = async <T>(args: string[]) => JSON.parse((await ok([...args, '--json'])).stdout) as T;
  const answer = async (app: string) => {
    const response = await platform.http(app);
    expect(response.status, response.body).toBe(200);
    return JSON.parse(response.body) as Answer;
  };
  const bobEnv = { env: { XDG_CONFIG_HOME: join(scratch, 'bob'), DOZEN_DATA_DIR: join(scratch, 'no-data-dir'), DOZEN_PASSWORD: 'correct horse battery' } };
  const current = async (app: string) => (await json<WireRelease[]>(['releases', '-a', app])).find((r) => r.current) as WireRelease;

  beforeAll(async () => {
    mkdirSync(join(scratch, 'no-data-dir'));
    platform = await TestPlatform.start();
    for (const [app, greeting] of [['shop-staging', 'staging-value'], ['shop-prod', 'prod-value']]) {
      await ok(['apps:create', app as string]);
      await ok(['config:set', `GREETING=${greeting}`, '-a', app as string]);
    }
    await ok(['apps:create', 'outsider']);
    await ok(['pipelines:create', 'shop']);
    await ok(['pipelines:add', 'shop', '-a', 'shop-staging', '--stage', 'staging']);
    await ok(['pipelines:add', 'shop', '-a', 'shop-prod', '--stage', 'production']);
    cpSync(join(ROOT, 'test', 'fixtures', 'apps', 'pipeline-stage'), repo, { recursive: true });
    git = gitIn(platform, repo);
    await git.ok(['init', '--quiet', '--initial-branch=main']);
    await commitAll(git, 'the shop');
    await ok(['git:remote', '-a', 'shop-staging'], repo);
    const push = await git(['push', 'dozen', 'main']);
    expect(push.code, push.stderr).toBe(0);
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('3. promote staging -> production: the same slug digest with production\'s config, its release phase ran, nothing was built', async () => {
    expect((await answer('shop-staging')).greeting).toBe('staging-value');
    const staging = await current('shop-staging');
    expect(staging.slugDigest).toMatch(/^[0-9a-f]{64}$/);
    const promoted = await ok(['pipelines:promote', '-a', 'shop-staging']);
    expect(promoted.stdout).toContain(`Promoted shop-staging v${staging.version} to shop-prod`);
    expect(promoted.stdout).toContain('Running release phase');

    const prod = await current('shop-prod');
    expect(prod.description).toBe(`Promote from shop-staging v${staging.version}`);
    expect(prod.slugDigest).toBe(staging.slugDigest);
    expect(prod.build).toBeNull();
    const served = await answer('shop-prod');
    expect(served).toMatchObject({ greeting: 'prod-value', release: `v${prod.version}` });
    expect(await json<unknown[]>(['builds', '-a', 'shop-prod'])).toEqual([]);
    await eventually(async () => {
      const logs = await ok(['logs', '-n', '200', '-a', 'shop-prod']);
      expect(logs.stdout).toContain(`app[release.${prod.version}]: release phase of v${prod.version} ran with GREETING=prod-value`);
    });
    // The pipeline shows both apps at their stages.
    const info = await json<{ apps: { app: string; stage: string; release: number | null }[] }>(['pipelines:info', 'shop']);
    expect(info.apps).toEqual([
      { app: 'shop-staging', stage: 'staging', release: staging.version },
      { app: 'shop-prod', stage: 'production', release: prod.version },
    ]);
  });

  it('refuses a promotion outside the pipeline or upstream, and an app in two pipelines, naming them', async () => {
    const outside = await platform.fails(['pipelines:promote', '-a', 'shop-staging', '--to', 'outsider'], 'PROMOTE_TARGET_INVALID');
    expect(outside.stderr).toContain('outsider is not in the pipeline shop');
    const upstream = await platform.fails(['pipelines:promote', '-a', 'shop-prod'], 'PROMOTE_TARGET_INVALID');
    expect(upstream.stderr).toContain('shop-prod is at the last stage of the pipeline shop');
    const alone = await platform.fails(['pipelines:promote', '-a', 'outsider'], 'PIPELINE_APP_NOT_IN');
    expect(alone.stderr).toContain('outsider is not in a pipeline');
    await ok(['apps:create', 'shop-dev']);
    await ok(['pipelines:add', 'shop', '-a', 'shop-dev', '--stage', 'development']);
    const undeployed = await platform.fails(['pipelines:promote', '-a', 'shop-dev'], 'PROMOTE_NO_RELEASE');
    expect(undeployed.stderr).toContain('shop-dev has no deployed release');
    await ok(['pipelines:remove', '-a', 'shop-dev']);
    await ok(['pipelines:create', 'other']);
    const taken = await platform.fails(['pipelines:add', 'other', '-a', 'shop-prod', '--stage', 'staging'], 'PIPELINE_APP_TAKEN');
    expect(taken.stderr).toContain('shop-prod is already in the pipeline shop (production)');
    await ok(['pipelines:destroy', 'other']);
  });

  it('access: promoting needs deploy on each target, destroying a pipeline manage on each app; apps one may not view are not named', async () => {
    const added = await ok(['users:add', 'bob@example.com']);
    await platform.ok(['login', '--setup', /^ {2}(\S+)$/m.exec(added.stdout)?.[1] ?? ''], bobEnv);
    await ok(['access:add', 'bob@example.com', '--permissions', 'deploy', '-a', 'shop-staging']);
    const hidden = await platform.fails(['pipelines:promote', '-a', 'shop-staging'], 'PERMISSION_DENIED', bobEnv);
    expect(hidden.stderr).toContain('bob@example.com lacks the deploy permission on an app of the pipeline shop that it may not view');
    expect(hidden.stderr).not.toContain('shop-prod');
    await ok(['access:add', 'bob@example.com', '--permissions', 'view', '-a', 'shop-prod']);
    const promote = await platform.fails(['pipelines:promote', '-a', 'shop-staging'], 'PERMISSION_DENIED', bobEnv);
    expect(promote.stderr).toContain('bob@example.com lacks the deploy permission on shop-prod');
    await ok(['access:remove', 'bob@example.com', '-a', 'shop-prod']);
    const destroy = await platform.fails(['pipelines:destroy', 'shop'], 'PERMISSION_DENIED', bobEnv);
    expect(destroy.stderr).toContain('lacks the manage permission on shop-staging');
    const seen = JSON.parse((await platform.ok(['pipelines:info', 'shop', '--json'], bobEnv)).stdout) as { apps: { app: string }[]; hiddenApps: number };
    expect(seen.apps.map((a) => a.app)).toEqual(['shop-staging']);
    expect(seen.hiddenApps).toBe(1);
    await platform.fails(['pipelines:add', 'shop', '-a', 'shop-staging', '--stage', 'development'], 'PERMISSION_DENIED', bobEnv);
  });

  it('4. review apps: a pushed branch serves at its URL with the review config; deleting the branch destroys it', async () => {
    await ok(['review-apps:enable', '-p', 'shop', '--autodeploy']);
    await ok(['review-apps:config', '-p', 'shop', 'GREETING=review-value']);
    const stagingBefore = await current('shop-staging');
    await git.ok(['checkout', '--quiet', '-b', 'Feature/Login']);
    writeFileSync(join(repo, 'CHANGES.md'), 'login page\n');
    const commit = await commitAll(git, 'the login page');
    const push = await git(['push', 'dozen', 'Feature/Login']);
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain(`remote: -----> Building review app shop-pr-feature-login from Feature/Login (commit ${commit.slice(0, 7)})`);
    expect(push.stderr).toContain('remote: -----> Provisioned redis-');
    expect(push.stderr).toMatch(/remote: -----> Review app shop-pr-feature-login is up: http:\/\/shop-pr-feature-login\.localhost:\d+/);
    expect(await answer('shop-pr-feature-login')).toMatchObject({ greeting: 'review-value', reviewFlag: 'from-app-json', redis: 'attached' });
    // Staging is not redeployed by a branch push; its own app.json review env is not applied there.
    expect((await current('shop-staging')).version).toBe(stagingBefore.version);
    expect(await answer('shop-staging')).toMatchObject({ reviewFlag: null, redis: null });
    const addons = await json<{ name: string }[]>(['addons', '-a', 'shop-pr-feature-login']);
    expect(addons).toHaveLength(1);
    // Bob works on staging (deploy): he gets the same on its review apps.
    expect(JSON.parse((await platform.ok(['config', '-a', 'shop-pr-feature-login', '--json'], bobEnv)).stdout)).toMatchObject({ GREETING: 'review-value' });
    await platform.fails(['apps:destroy', 'shop-pr-feature-login', '--confirm', 'shop-pr-feature-login'], 'PERMISSION_DENIED', bobEnv);
    const reviews = await json<{ app: string; branch: string }[]>(['review-apps', '-p', 'shop']);
    expect(reviews).toMatchObject([{ app: 'shop-pr-feature-login', branch: 'Feature/Login' }]);

    // Autodeploy: the next push rebuilds it (with review config changed since); without, a push is only stored.
    const first = await current('shop-pr-feature-login');
    await ok(['review-apps:config', '-p', 'shop', 'GREETING=review-two']);
    writeFileSync(join(repo, 'CHANGES.md'), 'login page, again\n');
    await commitAll(git, 'the login page, again');
    expect((await git(['push', 'dozen', 'Feature/Login'])).code).toBe(0);
    const second = await current('shop-pr-feature-login');
    expect(second.version).toBeGreaterThan(first.version);
    expect(await answer('shop-pr-feature-login')).toMatchObject({ greeting: 'review-two', release: `v${second.version}` });
    await ok(['review-apps:enable', '-p', 'shop', '--no-autodeploy']);
    writeFileSync(join(repo, 'CHANGES.md'), 'login page, third\n');
    await commitAll(git, 'the login page, third');
    const stored = await git(['push', 'dozen', 'Feature/Login']);
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stderr).toContain('review app shop-pr-feature-login not rebuilt: autodeploy is off');
    expect((await current('shop-pr-feature-login')).version).toBe(second.version);

    const deleted = await git(['push', 'dozen', ':Feature/Login']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toContain('remote: -----> Deleted branch Feature/Login: its review app shop-pr-feature-login was destroyed.');
    expect((await ok(['apps'])).stdout).not.toContain('shop-pr-feature-login');
    expect((await platform.http('shop-pr-feature-login')).status).toBe(404);
    expect(await json<unknown[]>(['review-apps', '-p', 'shop'])).toEqual([]);
    // Its add-on went with it.
    expect((await ok(['addons'])).stdout).not.toContain(addons[0]?.name ?? 'redis-');
  });

  it('refuses a push of a branch that cannot name a review app, saying how it was mapped', async () => {
    const push = await git(['push', 'dozen', 'HEAD:refs/heads/___']);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('The branch "___" cannot name a review app');
    expect(push.stderr).toContain('REVIEW_BRANCH_INVALID');
  });

  it('the promoted slug is production\'s own: with staging destroyed, production restarts and serves from it', async () => {
    const before = await current('shop-prod');
    await ok(['apps:destroy', 'shop-staging', '--confirm', 'shop-staging']);
    await ok(['ps:restart', '-a', 'shop-prod']);
    await eventually(async () => expect(await answer('shop-prod')).toMatchObject({ greeting: 'prod-value', release: `v${before.version}` }));
    expect((await current('shop-prod')).slugDigest).toBe(before.slugDigest);
    expect((await json<{ apps: { app: string }[] }>(['pipelines:info', 'shop'])).apps.map((a) => a.app)).toEqual(['shop-prod']);
  });
});
