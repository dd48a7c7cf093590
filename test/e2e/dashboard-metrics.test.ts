import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, launchChromium, signIn } from './support/browser.js';
import { TestPlatform } from './support/platform.js';

const APP = 'meter';
const CLIENTS = 3;
const EACH = 8;

/**
 * Issue 16, acceptance 5 in a real browser: the Metrics page, left open, shows the requests of a
 * small load made through the router (its text summary counts them) and the marker of a deploy
 * made with the CLI meanwhile, without a reload, under the API's strict CSP.
 * DOZEN_METRICS_STEP_SECONDS=2: the steps end while the test runs.
 */
describe('dashboard: the Metrics page', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  const refused: string[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-dash-metrics-'));
  const password = 'correct horse battery';
  const ada = { env: { XDG_CONFIG_HOME: join(scratch, 'ada') } };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([TestPlatform.start({ DOZEN_METRICS_STEP_SECONDS: '2' }), launchChromium()]);
    await addUser(platform, 'ada@example.com', password, join(scratch, 'ada'));
    await platform.ok(['apps:create', APP], ada);
    await platform.ok(['deploy', 'examples/node-web', '-a', APP], ada); // v1
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) refused.push(message.text());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('5: shows the requests of a small load and a new deploy marker, live, in its charts and their text summaries', async () => {
    await signIn(page, platform, 'ada@example.com', password);
    await page.getByRole('link', { name: APP, exact: true }).click();
    await page.getByRole('link', { name: 'Metrics' }).click();
    const requests = page.getByRole('table', { name: 'Requests by status class' });
    await expect.poll(() => requests.locator('tr[data-series="2xx"] td').first().textContent(), { timeout: 10_000 }).toBe('0');
    const chart = page.getByRole('img', { name: /^Chart: Requests per second by status class/ });
    await chart.locator('canvas').waitFor();
    await page.evaluate(() => Object.assign(globalThis, { notReloaded: true }));

    // A bounded load through the router, and a deploy with the CLI while the page stays open.
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = 0; i < EACH; i++) expect((await platform.http(APP, `/load/${i}`)).status).toBe(200);
      }),
    );
    await platform.ok(['deploy', 'examples/node-web', '-a', APP], ada); // v2

    await expect.poll(() => requests.locator('tr[data-series="2xx"] td').first().textContent(), { timeout: 15_000 }).toBe(String(CLIENTS * EACH));
    for (const cls of ['4xx', '5xx']) expect(await requests.locator(`tr[data-series="${cls}"] td`).first().textContent()).toBe('0');
    const marker = chart.locator('.deploy-marker[data-version="2"]');
    await expect.poll(() => marker.count(), { timeout: 15_000 }).toBe(1);
    expect(await marker.getAttribute('title')).toMatch(/^v2: Deploy/);
    expect(await marker.isVisible()).toBe(true);
    // The marker stands inside the plot, right of v1's (the timeline runs left to right).
    const [v1, v2, plot] = await Promise.all([chart.locator('.deploy-marker[data-version="1"]').boundingBox(), marker.boundingBox(), chart.locator('.u-over').boundingBox()]);
    expect(v1 && v2 && plot).toBeTruthy();
    expect(v2!.x).toBeGreaterThan(v1!.x);
    expect(v2!.x).toBeLessThanOrEqual(plot!.x + plot!.width);
    await expect.poll(() => page.locator('li[data-deploy="2"]').textContent()).toContain('Deploy');
    // The latency and memory summaries have values; nothing was refused by the CSP; no reload.
    expect(await page.getByRole('table', { name: 'Latest latency' }).locator('tr[data-series="p50"] td').textContent()).toMatch(/^\d/);
    await expect.poll(() => page.getByRole('table', { name: 'Latest memory' }).locator('tr[data-series="web.1"] td').textContent()).toMatch(/^\d/);
    expect(refused).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // The 24 h range: 10-minute points, the same requests and markers.
    await page.getByRole('button', { name: 'Last 24 h' }).click();
    await expect.poll(() => page.locator('p.when').first().textContent()).toContain('One point per 600 s');
    expect(await requests.locator('tr[data-series="2xx"] td').first().textContent()).toBe(String(CLIENTS * EACH));
    await expect.poll(() => chart.locator('.deploy-marker[data-version="2"]').count()).toBe(1);

    // At 375 px the charts fit the screen: nothing scrolls sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    await expect.poll(() => chart.locator('canvas').evaluate((c) => c.getBoundingClientRect().width), { timeout: 5_000 }).toBeLessThanOrEqual(375);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  });
});
