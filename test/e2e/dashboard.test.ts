import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, launchChromium, signIn } from './support/browser.js';
import { eventually, ROOT, TestPlatform } from './support/platform.js';

interface Proc {
  name: string;
  pid: number | null;
  state: string;
}

/**
 * Issue 16, acceptance 1, 2, 3 and 4 in a real browser (Debian's chromium through playwright-core)
 * against a real platform: Ada signs in, creates an app, deploys it with the CLI while the
 * Activity page streams the build, scales and stops a process, bulk-edits config and rolls back,
 * and follows the live logs (acceptance 4).
 */
describe('dashboard: sign in, apps, deploy, scale, config and rollback in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-dash-'));
  const password = 'correct horse battery';
  const ps = async () => JSON.parse((await platform.ok(['ps', '-a', 'shop', '--json'])).stdout) as Proc[];
  const greeting = async () => (JSON.parse((await platform.http('shop')).body) as { greeting: string }).greeting;

  /** examples/node-web with a build script that prints, waits 4 s and prints again: a build slow enough to watch. */
  const slowBuild = join(scratch, 'slow-build');

  beforeAll(async () => {
    cpSync(join(ROOT, 'examples', 'node-web'), slowBuild, { recursive: true });
    const pkg = JSON.parse(readFileSync(join(slowBuild, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // (npm echoes the script: the markers are joined at run time, so only the output has them whole.)
    pkg.scripts.build = 'node -e "console.log(\'BUILD-\' + \'STARTED\'); setTimeout(() => console.log(\'BUILD-\' + \'DONE\'), 4000)"';
    writeFileSync(join(slowBuild, 'package.json'), JSON.stringify(pkg, null, 2));
    [platform, browser] = await Promise.all([TestPlatform.start(), launchChromium()]);
    await addUser(platform, 'ada@example.com', password, join(scratch, 'ada'));
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('1: sign in, create an app; a CLI deploy streams its build output and the app appears live, without a reload', async () => {
    await signIn(page, platform, 'ada@example.com', password);
    await page.getByLabel('New app name').fill('shop');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.getByRole('heading', { name: 'shop' }).waitFor();
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));
    const deploy = platform.ok(['deploy', slowBuild, '-a', 'shop']);
    // The newest build's output, shown while the build is still running.
    const build = page.locator('.builds li').first();
    await eventually(async () => {
      const state = await build.locator('.state').textContent();
      const output = await build.locator('pre.output').textContent();
      expect(['pending', 'building', 'releasing']).toContain(state);
      expect(output).toContain('BUILD-STARTED');
      expect(output).not.toContain('BUILD-DONE');
    }, 60_000, 50);
    await expect.poll(() => build.locator('pre.output').textContent(), { timeout: 30_000 }).toContain('BUILD-DONE');
    await deploy;
    await page.getByRole('link', { name: 'Apps', exact: true }).click();
    const row = page.locator('tr[data-app="shop"]');
    await eventually(async () => {
      expect(await row.locator('.release').textContent()).toBe('v1');
      expect(await row.locator('.processes').textContent()).toBe('1/1');
      expect(await row.locator('.state').textContent()).toBe('running');
    }, 15_000, 200);
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('2: scale web to 2 after the dry-run plan; dozen ps shows both; a stopped process is started again', async () => {
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    await page.getByRole('button', { name: 'More web processes' }).click();
    await page.getByRole('button', { name: 'Review scaling' }).click();
    const confirm = page.getByRole('dialog', { name: 'Scale web=2' });
    await expect.poll(() => confirm.locator('.plan').textContent()).toContain('start web.2');
    expect((await ps()).filter((p) => p.name.startsWith('web.'))).toHaveLength(1); // the plan changed nothing
    await confirm.getByRole('button', { name: 'Apply scaling' }).click();
    const both = await eventually(async () => {
      const web = (await ps()).filter((p) => p.name.startsWith('web.') && p.state === 'up');
      expect(web.map((p) => p.name).sort()).toEqual(['web.1', 'web.2']);
      return web;
    }, 30_000, 200);
    const before = both.find((p) => p.name === 'web.2')!.pid;
    await page.getByRole('button', { name: 'Stop web.2' }).click();
    await eventually(async () => {
      const web2 = (await ps()).find((p) => p.name === 'web.2');
      expect(web2?.state).toBe('up');
      expect(web2?.pid).not.toBe(before);
    }, 30_000, 200);
    await expect.poll(() => page.locator('tr[data-process="web.2"] .state').textContent(), { timeout: 10_000 }).toBe('up');
  });

  it('3: a bulk .env edit makes one release after its plan is shown; a rollback from Activity brings the old value back', async () => {
    await platform.ok(['config:set', 'GREETING=old value', '-a', 'shop']); // v2
    await eventually(async () => expect(await greeting()).toBe('old value'), 20_000, 200);
    await page.getByRole('link', { name: 'Config vars' }).click();
    await page.getByRole('button', { name: 'Bulk edit (.env)' }).click();
    await page.getByLabel(/Config as \.env text/).fill('GREETING="new value"\n# a comment\nCOLOR=green\n');
    await page.getByRole('button', { name: 'Review changes' }).click();
    const confirm = page.getByRole('dialog', { name: 'Save config' });
    await expect.poll(() => confirm.textContent()).toContain('This makes release v3');
    expect(await confirm.textContent()).toContain('Set: COLOR, GREETING');
    expect(JSON.parse((await platform.ok(['releases', '-a', 'shop', '--json'])).stdout)).toHaveLength(2); // nothing saved yet
    await confirm.getByRole('button', { name: 'Save and release' }).click();
    await eventually(async () => expect(await greeting()).toBe('new value'), 20_000, 200);
    expect(JSON.parse((await platform.ok(['releases', '-a', 'shop', '--json'])).stdout)).toHaveLength(3);
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('button', { name: 'Roll back to v2' }).click();
    const rollback = page.getByRole('dialog', { name: 'Roll back to v2' });
    await expect.poll(() => rollback.textContent()).toContain('This makes release v4');
    await rollback.getByRole('button', { name: 'Roll back', exact: true }).click();
    await eventually(async () => expect(await greeting()).toBe('old value'), 20_000, 200);
    await expect.poll(() => page.locator('li[data-release="4"] .description').textContent(), { timeout: 10_000 }).toContain('Rollback to v2');
    // Who made each release (the audit trail): the CLI's admin, then Ada in the browser.
    await expect.poll(() => page.locator('li[data-release="3"] .when').textContent(), { timeout: 10_000 }).toContain('by ada@example.com');
    expect(await page.locator('li[data-release="2"] .when').textContent()).toContain('by admin');
  });

  it('4: the Logs page shows a request within 1 s; the router filter hides app lines', async () => {
    await page.getByRole('link', { name: 'Logs' }).click();
    const logs = page.getByLabel('Logs of shop');
    await logs.waitFor();
    await page.waitForTimeout(500); // the stream is open
    await platform.http('shop', '/seen-in-the-dashboard');
    const answered = Date.now();
    await expect.poll(() => logs.locator('[data-source="router"]', { hasText: '/seen-in-the-dashboard' }).count(), { timeout: 5_000, interval: 25 }).toBe(1);
    expect(Date.now() - answered).toBeLessThan(1_000);
    // The app's own line comes through its stdout, apart from the router's: it may follow a moment later.
    await expect.poll(() => logs.locator('[data-source="app"]', { hasText: '/seen-in-the-dashboard' }).count(), { timeout: 5_000 }).toBe(1);
    await page.getByLabel('Source').selectOption('router');
    await expect.poll(() => logs.locator('[data-source="router"]', { hasText: '/seen-in-the-dashboard' }).count(), { timeout: 5_000 }).toBe(1);
    expect(await logs.locator('[data-source="app"]').count()).toBe(0);
    // And it stays so (no line of the unfiltered stream arrives late).
    await page.waitForTimeout(300);
    expect(await logs.locator('[data-source="app"]').count()).toBe(0);
  });
});

