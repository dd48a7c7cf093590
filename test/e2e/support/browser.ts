import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestPlatform } from './platform.js';

/** Debian's chromium (scripts/setup-system.sh installs it); playwright never downloads a browser here. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

/** A user of the platform with a password, through the real CLI (users:add, login --setup). */
export async function addUser(platform: TestPlatform, email: string, password: string, configDir: string): Promise<void> {
  const added = await platform.ok(['users:add', email]);
  const code = /^ {2}(\S+)$/m.exec(added.stdout)?.[1] ?? '';
  await platform.ok(['login', '--setup', code], { env: { XDG_CONFIG_HOME: configDir, DOZEN_PASSWORD: password } });
}

/** Signs in through the sign-in page and waits for the apps page. */
export async function signIn(page: Page, platform: TestPlatform, email: string, password: string): Promise<void> {
  await page.goto(`${platform.apiUrl}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Apps' }).waitFor();
  await page.waitForURL(`${platform.apiUrl}/`);
}

/** A fetch made by the page itself (its origin, its cookies): status and the error code, if any. */
export async function fetchFromPage(page: Page, url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; code: string | null }> {
  return page.evaluate(async ({ url, init }) => {
    const response = await fetch(url, { ...init, credentials: 'include' });
    const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
    return { status: response.status, code: body.error?.code ?? null };
  }, { url, init });
}

/** The session's CSRF token, as the dashboard gets it (GET /session with the cookie). */
export async function csrfOf(page: Page): Promise<string> {
  return page.evaluate(async () => ((await (await fetch('/session')).json()) as { csrfToken: string }).csrfToken);
}
