import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, launchChromium, signIn } from './support/browser.js';
import { exampleRepo } from './support/git.js';
import { ROOT, TestPlatform } from './support/platform.js';

interface Card {
  release: number;
  commit: string | null;
  counts: Record<string, number>;
  summary: string;
  checks: Array<{ id: string; status: string; evidence: string[]; hint: string }>;
}

interface ReleaseInfo {
  version: number;
  current: boolean;
}

/** Issue 18: the scorecard of real deploys (acceptance 1, static half) and the policy (acceptance 3). */
describe('twelve-factor scorecard', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-score-'));
  const ok = (args: string[]) => platform.ok(args);
  const score = async (app: string, release?: string): Promise<Card> => JSON.parse((await ok(['apps:score', '-a', app, '--json', ...(release ? ['--release', release] : [])])).stdout) as Card;
  const statusOf = (card: Card) => Object.fromEntries(card.checks.map((c) => [c.id, c.status]));
  const notPassing = (card: Card) => Object.fromEntries(card.checks.filter((c) => c.status !== 'pass' && c.status !== 'unknown').map((c) => [c.id, c.status]));
  const secretFixture = join(ROOT, 'test/fixtures/apps/score-iii-secret');

  beforeAll(async () => {
    platform = await TestPlatform.start();
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('scores the good example from its commit: every static check passes, the runtime ones are unknown; the deploy ends with the score line', async () => {
    await ok(['apps:create', 'good']);
    const deploy = await ok(['deploy', join(ROOT, 'examples/node-web'), '--ref', 'HEAD', '-a', 'good']);
    const lines = deploy.stdout.trim().split('\n');
    const card = await score('good');
    expect(notPassing(card)).toEqual({});
    expect(card.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(statusOf(card)['I.commit-recorded']).toBe('pass');
    expect(statusOf(card)['XI.logs-to-stdout']).toBe('unknown');
    expect(card.checks.find((c) => c.id === 'XI.logs-to-stdout')?.evidence).toEqual(['no runtime evidence yet']);
    expect(card.summary).toMatch(/^Twelve-factor: 18 pass, 6 unknown$/);
    expect(lines.at(-1)).toBe(card.summary);
    expect((await platform.http('good')).status).toBe(200);
  });

  it('ends a git push with the score line too, the pushed commit recorded', async () => {
    await ok(['apps:create', 'pushed']);
    const repo = join(scratch, 'pushed');
    const git = await exampleRepo(platform, repo);
    await platform.ok(['git:remote', '-a', 'pushed'], { cwd: repo });
    const push = await git(['push', 'dozen', 'main']);
    expect(push.code, push.stderr).toBe(0);
    const card = await score('pushed');
    expect(card.commit).toBe((await git.ok(['rev-parse', 'HEAD'])).trim());
    expect(card.summary).toBe('Twelve-factor: 18 pass, 6 unknown');
    expect(push.stderr).toContain(`remote: ${card.summary}`);
  });

  it('scores a fixture with a committed cloud key: III fails with file and line, in apps:score and the deploy line', async () => {
    await ok(['apps:create', 'leaky']);
    const deploy = await ok(['deploy', secretFixture, '-a', 'leaky']);
    expect(deploy.stdout).toContain('Twelve-factor: 16 pass, 1 warn (I: no commit recorded: deployed from a directory or an archive), 1 fail (III: config.js:2: an AWS access key id), 6 unknown');
    const card = await score('leaky', 'v1');
    expect(notPassing(card)).toEqual({ 'I.commit-recorded': 'warn', 'III.no-secrets-in-source': 'fail' });
    const secret = card.checks.find((c) => c.id === 'III.no-secrets-in-source')!;
    expect(secret.evidence).toEqual(['config.js:2: an AWS access key id']);
    expect(secret.hint).toContain('https://12factor.net/config');
    const table = await ok(['apps:score', '-a', 'leaky']);
    expect(table.stdout).toMatch(/III\s+III\.no-secrets-in-source\s+fail\s+config\.js:2: an AWS access key id/);
    // A config change keeps the slug, so its release keeps the build's static results.
    await ok(['config:set', 'GREETING=hi', '-a', 'leaky']);
    expect(statusOf(await score('leaky'))).toMatchObject({ 'III.no-secrets-in-source': 'fail' });
    expect((await score('leaky')).release).toBe(2);
  });

  it('scorecard:require III blocks a deploy with a committed secret (the old release keeps serving) and lets the fixed one through', async () => {
    const fixed = join(scratch, 'fixed');
    cpSync(secretFixture, fixed, { recursive: true });
    writeFileSync(join(fixed, 'config.js'), 'module.exports = { awsKeyId: process.env.AWS_ACCESS_KEY_ID };\n');
    await ok(['apps:create', 'strict']);
    await ok(['deploy', fixed, '-a', 'strict']);
    const policy = await ok(['scorecard:require', 'III', '-a', 'strict']);
    expect(policy.stdout).toContain('strict requires III');
    expect((await ok(['scorecard', '-a', 'strict', '--json'])).stdout).toContain('III.no-secrets-in-source');

    const blocked = await platform.fails(['deploy', secretFixture, '-a', 'strict'], 'SCORECARD_REQUIRED_FAILED');
    expect(blocked.stderr).toContain('III.no-secrets-in-source: config.js:2: an AWS access key id');
    expect(blocked.stderr).toContain('no release was made; v1 keeps serving');
    const releases = JSON.parse((await ok(['releases', '-a', 'strict', '--json'])).stdout) as ReleaseInfo[];
    expect(releases.map((r) => [r.version, r.current])).toEqual([[1, true]]);
    const serving = await platform.http('strict');
    expect(serving.status).toBe(200);
    expect(serving.body).toBe('ok\n');

    writeFileSync(join(fixed, 'server.js'), `${'// fixed again\n'}${(await import('node:fs')).readFileSync(join(fixed, 'server.js'), 'utf8')}`);
    const through = await ok(['deploy', fixed, '-a', 'strict']);
    expect(through.stdout).toContain('Released v2');
    expect(statusOf(await score('strict'))['III.no-secrets-in-source']).toBe('pass');
    expect((await platform.http('strict')).status).toBe(200);
    await ok(['scorecard:require', '--none', '-a', 'strict']);
    expect((await ok(['scorecard', '-a', 'strict'])).stdout).toContain('requires no scorecard check');
  });

  it('shows the scorecard on the dashboard overview to a user who may view the app', async () => {
    await addUser(platform, 'ada@example.com', 'correct horse battery', join(scratch, 'ada'));
    await ok(['access:add', 'ada@example.com', '--permissions', 'view', '-a', 'leaky']);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await signIn(page, platform, 'ada@example.com', 'correct horse battery');
      await page.goto(`${platform.apiUrl}/ui/apps/leaky`);
      await page.getByRole('heading', { name: 'Twelve-factor scorecard' }).waitFor();
      const row = page.locator('tr[data-check="III.no-secrets-in-source"]');
      await row.waitFor();
      expect(await row.locator('.state').textContent()).toBe('fail');
      expect(await row.textContent()).toContain('config.js:2: an AWS access key id');
      expect(await page.locator('.score-summary').textContent()).toBe(`v2: ${(await score('leaky')).summary}`);
    } finally {
      await browser.close();
    }
  });

  it('refuses an unknown check name', async () => {
    const refused = await platform.fails(['scorecard:require', 'XIII', '-a', 'strict'], 'SCORECARD_CHECK_UNKNOWN');
    expect(refused.stderr).toContain('XIII is neither a factor');
  });
});
