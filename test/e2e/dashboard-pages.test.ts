import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, launchChromium, signIn } from './support/browser.js';
import { ROOT, TestPlatform } from './support/platform.js';

/**
 * Issue 16, the other pages in a real browser against a real platform: a domain and a drain added
 * from the Domains and Drains tabs are what `dozen domains` and `dozen drains` list; the release
 * diff in Activity names a changed config key and never shows its value; "Load older lines" on the
 * Logs tab reaches lines beyond the 200 the live view starts with.
 */
describe('dashboard: domains, drains and the release diff in a browser', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-dash-pages-'));
  const password = 'correct horse battery';

  beforeAll(async () => {
    [platform, browser] = await Promise.all([TestPlatform.start({ DOZEN_DRAIN_ALLOW_LOOPBACK: '1' }), launchChromium()]);
    await addUser(platform, 'ada@example.com', password, join(scratch, 'ada'));
    await addUser(platform, 'bob@example.com', password, join(scratch, 'bob'));
    await platform.ok(['apps:create', 'shop']);
    await platform.ok(['access:add', 'ada@example.com', '--permissions', 'deploy,operate,manage', '-a', 'shop']);
    await platform.ok(['access:add', 'bob@example.com', '--permissions', 'view', '-a', 'shop']);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, platform, 'ada@example.com', password);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a domain added on the Domains tab is listed by `dozen domains`; removing it there removes it', async () => {
    await page.goto(`${platform.apiUrl}/ui/apps/shop/domains`);
    await page.getByLabel('Hostname').fill('www.shop-pages.test');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await page.locator('li[data-domain="www.shop-pages.test"]').waitFor();
    expect((await platform.ok(['domains', '-a', 'shop'])).stdout).toContain('www.shop-pages.test');
    // An error shows its catalogue code and hint.
    await page.getByLabel('Hostname').fill('not a hostname');
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect.poll(() => page.locator('.error-code').first().textContent()).toBe('DOMAIN_INVALID');
    await page.getByRole('button', { name: 'Remove domain www.shop-pages.test' }).click();
    await page.locator('li[data-domain="www.shop-pages.test"]').waitFor({ state: 'detached' });
    expect((await platform.ok(['domains', '-a', 'shop'])).stdout).not.toContain('www.shop-pages.test');
  });

  it('a drain added on the Drains tab is listed by `dozen drains`', async () => {
    await page.getByRole('link', { name: 'Drains' }).click();
    await page.getByLabel('Drain URL').fill('syslog://127.0.0.1:9');
    await page.getByRole('button', { name: 'Add drain' }).click();
    await page.locator('tr[data-drain]', { hasText: 'syslog://127.0.0.1:9' }).waitFor();
    expect((await platform.ok(['drains', '-a', 'shop'])).stdout).toContain('syslog://127.0.0.1:9');
  });

  it('the release diff names the changed config key and not its value', async () => {
    await platform.ok(['config:set', 'API_TOKEN=first-secret-value', 'KEEP=same', '-a', 'shop']);
    await platform.ok(['config:set', 'API_TOKEN=second-secret-value', 'ADDED=yes', '-a', 'shop']);
    const versions = (JSON.parse((await platform.ok(['releases', '-a', 'shop', '--json'])).stdout) as { version: number }[]).map((r) => r.version);
    const [to, from] = versions; // newest first
    expect(versions.length).toBeGreaterThanOrEqual(2);
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByLabel('Compare from').selectOption(String(from));
    await page.getByLabel('Compare to').selectOption(String(to));
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const diff = page.locator(`[data-diff="${from}-${to}"]`);
    await expect.poll(() => diff.locator('[data-change="changed"]').textContent()).toContain('API_TOKEN');
    expect(await diff.locator('[data-change="added"]').textContent()).toContain('ADDED');
    expect(await diff.locator('[data-change="changed"]').textContent()).not.toContain('KEEP');
    expect(await page.content()).not.toMatch(/first-secret-value|second-secret-value/);
  });

  it('a view-only collaborator sees the drains but no control to change them, and no Access tab', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const bob = await context.newPage();
    await signIn(bob, platform, 'bob@example.com', password);
    await bob.goto(`${platform.apiUrl}/ui/apps/shop/drains`);
    await bob.locator('tr[data-drain]', { hasText: 'syslog://127.0.0.1:9' }).waitFor();
    expect(await bob.getByRole('button').allTextContents()).toEqual(['Sign out']);
    await bob.getByRole('link', { name: 'Domains' }).click();
    await bob.getByText('No certificates.').waitFor(); // the lists are loaded
    await bob.getByText('Off.', { exact: true }).waitFor();
    expect(await bob.getByRole('button').allTextContents()).toEqual(['Sign out']);
    expect(await bob.getByRole('link', { name: 'Access' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Access' }).count()).toBe(1);
    await context.close();
  });

  it('Load older lines brings back lines from before the 200 the live view starts with', async () => {
    await platform.ok(['deploy', join(ROOT, 'examples', 'node-web'), '-a', 'shop']);
    for (let i = 1; i <= 150; i++) await platform.http('shop', `/older-${i}`); // a router and an app line each
    const first = /\/older-1(?!\d)/;
    await page.goto(`${platform.apiUrl}/ui/apps/shop/logs`);
    const logs = page.getByLabel('Logs of shop');
    await expect.poll(() => logs.locator('div', { hasText: '/older-150' }).count()).toBeGreaterThan(0);
    expect(await logs.locator('div').count()).toBe(200);
    expect(await logs.locator('div', { hasText: first }).count()).toBe(0);
    await page.getByRole('button', { name: 'Load older lines' }).click();
    await expect.poll(() => logs.locator('div', { hasText: first }).count()).toBeGreaterThan(0);
    expect(await logs.locator('div').count()).toBeGreaterThan(200);
  }, 60_000);
});
