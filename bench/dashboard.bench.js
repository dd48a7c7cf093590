// `npm run bench -- dashboard`: the dashboard's first load in headless Chromium (Debian's, through
// playwright-core), cold cache each run, against a real platform with 200 apps.
//   transfer   JS + CSS bytes on the wire (gzipped by the API), target ≤ 150 KB (issue 16)
//   apps list  navigation start -> the 200 rows of the apps page rendered, target ≤ 1 s
// Medians of RUNS fresh browser contexts.
import { chromium } from 'playwright-core';
import { median } from './runtime/memory.js';
import { startPlatform } from './support/platform.js';

const RUNS = Number(process.env.BENCH_RUNS || 5);
const APPS = 200;

export async function run() {
  printTable(await measureDashboard());
}

export async function measureDashboard({ runs = RUNS, apps = APPS } = {}) {
  const platform = await startPlatform();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'] });
  try {
    for (let i = 0; i < apps; i++) await platform.api('POST', '/apps', { name: `app-${String(i).padStart(3, '0')}` });
    const cookie = await sessionCookie(platform);
    const transfers = [];
    const times = [];
    for (let i = 0; i < runs; i++) {
      const { bytes, ms } = await firstLoad(browser, platform.apiUrl, cookie, apps);
      transfers.push(bytes);
      times.push(ms);
    }
    return { apps, transferKb: median(transfers) / 1024, appsListMs: median(times), minMs: Math.min(...times) };
  } finally {
    await browser.close();
    await platform.stop();
  }
}

/** A session for the admin (the token login), as the sign-in page makes it. */
async function sessionCookie(platform) {
  const token = (await import('node:fs')).readFileSync(`${platform.dataDir}/admin-token`, 'utf8').trim();
  const response = await fetch(`${platform.apiUrl}/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: platform.apiUrl }, body: JSON.stringify({ token }) });
  if (response.status !== 201) throw new Error(`sign-in: ${response.status} ${await response.text()}`);
  const [pair] = response.headers.get('set-cookie').split(';');
  const [name, value] = pair.split('=');
  return { name, value, url: platform.apiUrl };
}

async function firstLoad(browser, apiUrl, cookie, apps) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([cookie]);
  const page = await context.newPage();
  const sizes = [];
  page.on('requestfinished', (request) => {
    if (['script', 'stylesheet'].includes(request.resourceType())) sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  });
  await page.goto(`${apiUrl}/`);
  await page.waitForFunction((count) => globalThis.document.querySelectorAll('tr[data-app]').length === count, apps, { timeout: 30_000 });
  const ms = await page.evaluate(() => performance.now());
  const bytes = (await Promise.all(sizes)).reduce((sum, n) => sum + n, 0);
  await context.close();
  return { bytes, ms };
}

function printTable(result) {
  console.log(`\n== dashboard: first load of the apps page, ${result.apps} apps, median of ${RUNS} cold runs (headless Chromium)`);
  console.log(['what', 'median', 'target'].join('\t'));
  console.log(['JS+CSS transferred (gzip)', `${result.transferKb.toFixed(1)} KB`, `≤ 150 KB: ${result.transferKb <= 150 ? 'met' : 'not met'}`].join('\t'));
  console.log(['time to the apps list', `${result.appsListMs.toFixed(0)} ms (min ${result.minMs.toFixed(0)})`, `≤ 1000 ms: ${result.appsListMs <= 1000 ? 'met' : 'not met'}`].join('\t'));
}
