import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, csrfOf, fetchFromPage, launchChromium, signIn } from './support/browser.js';
import { TestPlatform } from './support/platform.js';

/** A POST to the API over plain HTTP with the given headers: status and error code. */
function post(apiUrl: string, path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; code: string | null }> {
  return new Promise((done, fail) => {
    const text = JSON.stringify(body);
    const req = request(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers } }, (res) => {
      let answer = '';
      res.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, code: (JSON.parse(answer || '{}') as { error?: { code?: string } }).error?.code ?? null }));
    });
    req.on('error', fail);
    req.end(text);
  });
}

/**
 * Issue 16, acceptance 6 and 7 in a real browser: a view-only collaborator sees no mutating
 * control and the API refuses the change anyway when the page sends it; a change made with the
 * session cookie from another origin (or without the CSRF token) is refused (CSRF_REJECTED).
 */
describe('dashboard: view-only users and CSRF', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let attacker: Server;
  let attackerUrl = '';
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-dash-access-'));
  const password = 'correct horse battery';
  const apps = async () => (await platform.ok(['apps'])).stdout;

  async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await signIn(page, platform, email, password);
    return { context, page };
  }

  /** The mutating controls of the app's pages, counted: the same selectors for both users. */
  async function mutatingControls(page: Page): Promise<Record<string, number>> {
    await page.getByRole('link', { name: 'shop', exact: true }).click();
    await page.locator('tr[data-process="web.1"]').waitFor();
    const counts: Record<string, number> = {
      steppers: await page.getByRole('button', { name: 'More web processes' }).count(),
      restart: await page.getByRole('button', { name: 'Restart web.1' }).count(),
      stop: await page.getByRole('button', { name: 'Stop web.1' }).count(),
      configTab: await page.getByRole('link', { name: 'Config vars' }).count(),
      maintenance: await page.getByRole('button', { name: 'Turn maintenance on' }).count(),
    };
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.locator('li[data-release="1"]').waitFor();
    counts.rollback = await page.getByRole('button', { name: 'Roll back to v1' }).count();
    await page.getByRole('link', { name: 'Apps', exact: true }).click();
    return counts;
  }

  beforeAll(async () => {
    attacker = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title><p>another origin</p>'));
    await new Promise<void>((ready) => attacker.listen(0, '127.0.0.1', ready));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as { port: number }).port}`;
    [platform, browser] = await Promise.all([TestPlatform.start(), launchChromium()]);
    await addUser(platform, 'ada@example.com', password, join(scratch, 'ada'));
    await addUser(platform, 'bob@example.com', password, join(scratch, 'bob'));
    const ada = { env: { XDG_CONFIG_HOME: join(scratch, 'ada') } };
    await platform.ok(['apps:create', 'shop'], ada);
    await platform.ok(['access:add', 'bob@example.com', '--permissions', 'view', '-a', 'shop'], ada);
    await platform.ok(['deploy', 'examples/node-web', '-a', 'shop'], ada); // v1
    await platform.ok(['config:set', 'GREETING=hi', '-a', 'shop'], ada); // v2
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.destroy();
    attacker?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('6: a view-only user sees no mutating control, and the API refuses the change the page sends', async () => {
    const ada = await signedIn('ada@example.com');
    expect(await mutatingControls(ada.page)).toEqual({ steppers: 1, restart: 1, stop: 1, configTab: 1, maintenance: 1, rollback: 1 });
    await ada.context.close();
    const bob = await signedIn('bob@example.com');
    expect(await bob.page.locator('tr[data-app="shop"] .release').textContent()).toBe('v2');
    expect(await mutatingControls(bob.page)).toEqual({ steppers: 0, restart: 0, stop: 0, configTab: 0, maintenance: 0, rollback: 0 });
    const csrf = await csrfOf(bob.page);
    const scale = await fetchFromPage(bob.page, '/apps/shop/formation', { method: 'PATCH', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ updates: [{ type: 'web', quantity: 3 }] }) });
    expect(scale).toEqual({ status: 403, code: 'PERMISSION_DENIED' });
    const stop = await fetchFromPage(bob.page, '/apps/shop/processes/web.1/stop', { method: 'POST', headers: { 'x-csrf-token': csrf } });
    expect(stop).toEqual({ status: 403, code: 'PERMISSION_DENIED' });
    expect(JSON.parse((await platform.ok(['ps', '-a', 'shop', '--json'])).stdout).filter((p: { type: string }) => p.type === 'web')).toHaveLength(1);
    await bob.context.close();
  });

  it('7: the session cookie is HttpOnly and SameSite=Strict; a change with it from another origin, or without the CSRF token, is refused', async () => {
    const { context, page } = await signedIn('ada@example.com');
    const cookie = (await context.cookies()).find((c) => c.name === 'dozen_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    const storage = () => {
      const web = globalThis as unknown as { localStorage: { length: number }; sessionStorage: { length: number }; document: { cookie: string } };
      return [web.localStorage.length, web.sessionStorage.length, web.document.cookie];
    };
    expect(await page.evaluate(storage)).toEqual([0, 0, '']);
    // From the dashboard's own origin, without the CSRF token.
    expect(await fetchFromPage(page, '/apps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'no-token' }) })).toEqual({ status: 403, code: 'CSRF_REJECTED' });
    // Another origin of the same site (127.0.0.1, another port): the browser sends the cookie; a form-like POST.
    await page.goto(attackerUrl);
    const answer = page.waitForResponse((response) => response.url() === `${platform.apiUrl}/apps`);
    await page.evaluate((api) => fetch(`${api}/apps`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"name":"evil"}' }).then(() => undefined), platform.apiUrl);
    expect((await answer).status()).toBe(403);
    // With the cookie AND the right CSRF token, only the Origin differs: still refused; from the dashboard's origin, accepted.
    const session = `dozen_session=${cookie.value}`;
    const csrf = await (async () => { await page.goto(`${platform.apiUrl}/`); await page.getByRole('heading', { name: 'Apps' }).waitFor(); return csrfOf(page); })();
    expect(await post(platform.apiUrl, '/apps', { cookie: session, 'x-csrf-token': csrf, origin: attackerUrl }, { name: 'evil' })).toEqual({ status: 403, code: 'CSRF_REJECTED' });
    expect(await post(platform.apiUrl, '/apps', { cookie: session, 'x-csrf-token': csrf, 'sec-fetch-site': 'same-site', origin: platform.apiUrl }, { name: 'evil' })).toEqual({ status: 403, code: 'CSRF_REJECTED' });
    expect(await apps()).not.toMatch(/\b(evil|no-token)\b/);
    expect(await post(platform.apiUrl, '/apps', { cookie: session, 'x-csrf-token': csrf, origin: platform.apiUrl }, { name: 'good' })).toEqual({ status: 201, code: null });
    // Signing out revokes the session: the cookie no longer works.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Dozen' }).waitFor();
    expect(await post(platform.apiUrl, '/apps', { cookie: session, 'x-csrf-token': csrf, origin: platform.apiUrl }, { name: 'after' })).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    await context.close();
  });
});
