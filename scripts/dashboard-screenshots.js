#!/usr/bin/env node
// Screenshots of each dashboard page at 1280 and 375 px into docs/dashboard/ (docs/dashboard.md):
// a real platform, examples/node-web deployed with the CLI, the admin signed in with its token.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, startPlatform } from '../bench/support/platform.js';

const OUT = join(ROOT, 'docs', 'dashboard');
// 2-second metric steps: the Metrics page has points to show after a short load.
const platform = await startPlatform({ DOZEN_DRAIN_ALLOW_LOOPBACK: '1', DOZEN_METRICS_STEP_SECONDS: '2' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'] });
try {
  await platform.cli(['apps:create', 'shop']);
  await platform.cli(['apps:create', 'blog']);
  await platform.cli(['deploy', join(ROOT, 'examples', 'node-web'), '-a', 'shop']);
  await platform.cli(['config:set', 'GREETING=hello', 'COLOR=blue', '-a', 'shop']);
  await platform.cli(['ps:scale', 'web=2', '-a', 'shop']);
  // Traffic through the router for the Metrics page, with a deploy (v3) in the middle of it.
  const load = trafficFor(20_000);
  await new Promise((done) => setTimeout(done, 8000));
  await platform.cli(['deploy', join(ROOT, 'examples', 'node-web'), '-a', 'shop']);
  await load;
  // The other pages: an add-on, a domain, a drain and a collaborator.
  await platform.cli(['addons:create', 'url', '--url', 'https://api.example.com/v1', '--as', 'PAYMENTS_URL', '-a', 'shop']);
  await platform.cli(['domains:add', 'www.shop.example', '-a', 'shop']);
  await platform.cli(['drains:add', 'syslog://127.0.0.1:514', '-a', 'shop']);
  await platform.cli(['users:add', 'ada@example.com']);
  await platform.cli(['access:add', 'ada@example.com', '--permissions', 'deploy', '-a', 'shop']);
  const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
  for (const width of [1280, 375]) {
    const page = await browser.newPage({ viewport: { width, height: width === 375 ? 812 : 800 } });
    const shot = async (name) => {
      await page.waitForTimeout(2500);
      await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
    };
    await page.goto(`${platform.apiUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to Dozen' }).waitFor();
    await shot('sign-in');
    await page.getByRole('button', { name: /API token/ }).click();
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Apps' }).waitFor();
    await shot('apps');
    for (const [tab, path] of [['overview', ''], ['activity', '/activity'], ['config', '/config'], ['logs', '/logs'], ['addons', '/addons'], ['domains', '/domains'], ['drains', '/drains'], ['access', '/access'], ['metrics', '/metrics']]) {
      await page.goto(`${platform.apiUrl}/ui/apps/shop${path}`);
      await page.getByRole('heading', { name: 'shop' }).waitFor();
      if (tab === 'config') await page.getByRole('button', { name: 'Reveal GREETING' }).click();
      if (tab === 'activity') await page.getByRole('button', { name: 'Compare', exact: true }).click();
      await shot(tab);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await platform.stop();
}

/** Requests to shop through the router for `ms`: a steady few per second. */
async function trafficFor(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((done) => request({ host: '127.0.0.1', port: platform.routerPort, path: `/item/${Date.now() % 7}`, headers: { host: 'shop.localhost' }, agent: false }, (res) => res.resume().on('end', done)).on('error', done).end());
    await new Promise((done) => setTimeout(done, 50));
  }
}
