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
  /** The runtime checks (issue 18B): measured as the processes run, so they arrive after the deploy. */
  const RUNTIME = ['VI.writes-outside-tmp', 'VII.binds-port', 'VIII.no-daemonizing', 'IX.boot-time', 'IX.graceful-stop', 'XI.logs-to-stdout'];
  /** The scorecard once the new processes were sampled after they came up (1-3 s after ready). */
  const settled = async (app: string): Promise<Card> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const card = await score(app);
      if (statusOf(card)['XI.logs-to-stdout'] !== 'unknown' || Date.now() > deadline) return card;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const SCORE_LINE = /^Twelve-factor: \d+ pass, \d+ unknown$/;

  beforeAll(async () => {
    platform = await TestPlatform.start();
  });
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('scores the good example from its commit: every check passes once measured (VI and a stop stay unknown); the deploy ends with the score line', async () => {
    await ok(['apps:create', 'good']);
    const deploy = await ok(['deploy', join(ROOT, 'examples/node-web'), '--ref', 'HEAD', '-a', 'good']);
    const lines = deploy.stdout.trim().split('\n');
    // At the end of the deploy: the static results, and the runtime ones measured so far.
    expect(lines.at(-1)).toMatch(SCORE_LINE);
    const card = await settled('good');
    expect(notPassing(card)).toEqual({});
    expect(card.commit).toMatch(/^[0-9a-f]{40}$/);
    const unknown = card.checks.filter((c) => c.status === 'unknown').map((c) => c.id);
    expect(unknown.every((id) => RUNTIME.includes(id))).toBe(true);
    expect(statusOf(card)['XI.logs-to-stdout']).toBe('pass');
    expect(statusOf(card)['VII.binds-port']).toBe('pass');
    expect(statusOf(card)['IX.graceful-stop']).toBe('unknown');
    expect(card.summary).toBe(`Twelve-factor: ${card.checks.length - unknown.length} pass, ${unknown.length} unknown`);
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
    expect(push.stderr).toMatch(/remote: Twelve-factor: \d+ pass, \d+ unknown\s*\n/);
  });

  it('scores a fixture with a committed cloud key: III fails with file and line, in apps:score and the deploy line', async () => {
    await ok(['apps:create', 'leaky']);
    const deploy = await ok(['deploy', secretFixture, '-a', 'leaky']);
    expect(deploy.stdout).toMatch(/Twelve-factor: \d+ pass, 1 warn \(I: no commit recorded: deployed from a directory or an archive\), 1 fail \(III: config\.js:2: an AWS access key id\), \d+ unknown\n/);
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
    const summary = (await settled('leaky')).summary;
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
      expect(await page.locator('.score-summary').textContent()).toBe(`v2: ${summary}`);
    } finally {
      await browser.close();
    }
  });

  it('refuses an unknown check name', async () => {
    const refused = await platform.fails(['scorecard:require', 'XIII', '-a', 'strict'], 'SCORECARD_CHECK_UNKNOWN');
    expect(refused.stderr).toContain('XIII is neither a factor');
  });
});
