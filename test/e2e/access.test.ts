import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, exampleRepo, type Git } from './support/git.js';
import { TestPlatform, type CliResult } from './support/platform.js';

/**
 * Issue 13, acceptance 1 and 2, through the real CLI and git: the admin adds Ada and Bob; Ada owns
 * shop; Bob may view it; a token of Ada's limited to shop with deploy pushes and deploys, nothing
 * else, and is refused at once once revoked. Each user has their own CLI config dir and no access
 * to the host's admin token file.
 */
describe('teams: users, per-app permissions and scoped tokens', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-access-'));
  const password = 'correct horse battery';
  const as = (user: string, extra: Record<string, string> = {}) => ({ env: { XDG_CONFIG_HOME: join(scratch, user), DOZEN_DATA_DIR: join(scratch, 'no-data-dir'), DOZEN_PASSWORD: password, ...extra } });
  const ada = (args: string[]) => platform.ok(args, as('ada'));
  const bob = (args: string[]) => platform.cli(args, as('bob'));
  const denied = (result: CliResult, permission: string, app = 'shop') => {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
    expect(result.stderr).toContain(`lacks the ${permission} permission on ${app}`);
    expect(result.stderr).toContain('(PERMISSION_DENIED');
  };
  let scoped = '';
  let scopedId = '';
  let repo: Git;

  beforeAll(async () => {
    mkdirSync(join(scratch, 'no-data-dir'));
    platform = await TestPlatform.start();
    for (const user of ['ada', 'bob']) {
      const added = await platform.ok(['users:add', `${user}@example.com`]);
      const code = /^ {2}(\S+)$/m.exec(added.stdout)?.[1] ?? '';
      expect(added.stdout).toContain(`${platform.apiUrl}/setup#${code}`);
      const login = await platform.ok(['login', '--setup', code], as(user));
      expect(login.stdout).toContain(`Logged in to ${platform.apiUrl} as ${user}@example.com`);
    }
  }, 60_000);
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('accounts: whoami, users (admin only), the password rule, a used setup code, wrong passwords, login again', async () => {
    expect((await ada(['whoami'])).stdout.trim()).toBe('ada@example.com');
    expect((await platform.ok(['whoami'])).stdout.trim()).toBe('admin');
    expect((await platform.ok(['users'])).stdout).toMatch(/ada@example\.com\s+active[\s\S]*bob@example\.com\s+active/);
    denied403(await bob(['users']), 'not the platform admin');
    const weak = await platform.ok(['users:add', 'carol@example.com']);
    const code = /^ {2}(\S+)$/m.exec(weak.stdout)?.[1] ?? '';
    const short = await platform.fails(['login', '--setup', code], 'PASSWORD_WEAK', as('carol', { DOZEN_PASSWORD: 'short' }));
    expect(short.stderr).toContain('at least 12 characters');
    await platform.ok(['login', '--setup', code], as('carol'));
    await platform.fails(['login', '--setup', code], 'SETUP_CODE_INVALID', as('carol'));
    await platform.fails(['login', '--email', 'carol@example.com'], 'LOGIN_FAILED', as('carol', { DOZEN_PASSWORD: 'not the password' }));
    expect((await platform.ok(['login', '--email', 'carol@example.com'], as('carol'))).stdout).toContain('as carol@example.com');
    await platform.ok(['users:remove', 'carol@example.com']);
    await platform.fails(['whoami'], 'UNAUTHORIZED', as('carol'));
  });

  it('Ada creates and owns shop and another app, and gives Bob view on shop', async () => {
    await ada(['apps:create', 'shop']);
    await ada(['apps:create', 'ada-private']);
    await ada(['access:add', 'bob@example.com', '--permissions', 'view', '-a', 'shop']);
    const access = await ada(['access', '-a', 'shop']);
    expect(access.stdout).toMatch(/ada@example\.com\s+owner\s+view,deploy,operate,manage/);
    expect(access.stdout).toMatch(/bob@example\.com\s+collaborator\s+view/);
    const unknown = await platform.fails(['access:update', 'bob@example.com', '--permissions', 'view,fly', '-a', 'shop'], 'PERMISSION_UNKNOWN', as('ada'));
    expect(unknown.stderr).toContain('the permissions are view, deploy, operate, manage');
    const last = await platform.fails(['access:remove', 'ada@example.com', '-a', 'shop'], 'LAST_MANAGER', as('ada'));
    expect(last.stderr).toContain('last manager of shop');
  });

  it('acceptance 2: a token limited to shop with deploy deploys with `dozen deploy` and `git push`, and nothing on other apps', async () => {
    const made = JSON.parse((await ada(['tokens:create', '-a', 'shop', '--permissions', 'deploy', '--description', 'ci', '--json'])).stdout) as { token: string; info: { id: string; permissions: string[] } };
    scoped = made.token;
    scopedId = made.info.id;
    expect(made.info.permissions).toEqual(['view', 'deploy']);
    const withToken = { env: { DOZEN_API_TOKEN: scoped, DOZEN_DATA_DIR: join(scratch, 'no-data-dir'), XDG_CONFIG_HOME: join(scratch, 'ci') } };
    const deploy = await platform.ok(['deploy', 'examples/node-web', '-a', 'shop'], withToken);
    expect(deploy.stdout).toContain('Released v1');
    repo = await exampleRepo(platform, join(scratch, 'repo'));
    await platform.ok(['git:remote', '-a', 'shop'], { ...withToken, cwd: join(scratch, 'repo') });
    await commitAll(repo, 'second deploy');
    const push = await repo(['push', 'dozen', 'main'], { DOZEN_API_TOKEN: scoped, DOZEN_DATA_DIR: join(scratch, 'no-data-dir') });
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).toContain('Released v2');
    // On shop, what deploy does not include; on Ada's other app, nothing; nothing outside apps.
    denied((await platform.cli(['ps:scale', 'web=2', '-a', 'shop'], withToken)), 'operate');
    const other = await platform.cli(['releases', '-a', 'ada-private'], withToken);
    expect(other.stderr).toContain('This token is limited to another app: it lacks the view permission on ada-private.');
    await platform.fails(['apps:create', 'sneaky'], 'PERMISSION_DENIED', withToken);
    expect(JSON.parse((await platform.ok(['apps', '--json'], withToken)).stdout).map((a: { name: string }) => a.name)).toEqual(['shop']);
  }, 180_000);

  it('acceptance 1: Bob sees shop, reads its logs and releases; every mutating command answers 403 naming the permission', async () => {
    const apps = await bob(['apps']);
    expect(apps.stdout).toContain('shop');
    expect(apps.stdout).not.toContain('ada-private');
    expect((await bob(['releases', '-a', 'shop'])).stdout).toMatch(/v2\s+Deploy/);
    expect((await bob(['logs', '-a', 'shop'])).stdout).toContain('app[web.1]');
    expect((await bob(['ps', '-a', 'shop'])).code).toBe(0);
    const mutations: [string[], string][] = [
      [['config:set', 'A=1', '-a', 'shop'], 'deploy'],
      [['config', '-a', 'shop'], 'deploy'],
      [['deploy', 'examples/node-web', '-a', 'shop'], 'deploy'],
      [['rollback', '-a', 'shop'], 'deploy'],
      [['run', '-a', 'shop', '--', 'true'], 'deploy'],
      [['ps:scale', 'web=2', '-a', 'shop'], 'operate'],
      [['ps:restart', '-a', 'shop'], 'operate'],
      [['ps:stop', 'web.1', '-a', 'shop'], 'operate'],
      [['domains:add', 'www.example.com', '-a', 'shop'], 'manage'],
      [['drains:add', 'syslog://logs.example.com:514', '-a', 'shop'], 'manage'],
      [['addons:create', 'url', '-a', 'shop'], 'manage'],
      [['access:add', 'bob@example.com', '--permissions', 'manage', '-a', 'shop'], 'manage'],
      [['apps:transfer', 'bob@example.com', '-a', 'shop'], 'manage'],
      [['apps:destroy', '-a', 'shop', '--confirm', 'shop'], 'manage'],
    ];
    for (const [args, permission] of mutations) denied(await bob(args), permission);
  }, 120_000);

  it("acceptance 1: Ada's other app does not exist for Bob (404 like a missing app, not 403)", async () => {
    const hidden = await bob(['releases', '-a', 'ada-private']);
    const missing = await bob(['releases', '-a', 'no-such-app']);
    expect(hidden.stderr).toContain('There is no app named ada-private.');
    expect(hidden.stderr.replaceAll('ada-private', 'X').replace(/request \S+\)/, '')).toBe(missing.stderr.replaceAll('no-such-app', 'X').replace(/request \S+\)/, ''));
    expect(hidden.stderr).toContain('(APP_NOT_FOUND');
  });

  it('acceptance 2: after tokens:revoke the token is refused at once (401 with the reason), for the CLI and for git', async () => {
    expect((await ada(['tokens'])).stdout).toContain(scopedId);
    await ada(['tokens:revoke', scopedId]);
    const refused = await platform.fails(['releases', '-a', 'shop'], 'UNAUTHORIZED', { env: { DOZEN_API_TOKEN: scoped, DOZEN_DATA_DIR: join(scratch, 'no-data-dir') } });
    expect(refused.stderr).toContain(`The token ${scopedId} was revoked at`);
    await commitAll(repo, 'third deploy');
    const push = await repo(['push', 'dozen', 'main'], { DOZEN_API_TOKEN: scoped, DOZEN_DATA_DIR: join(scratch, 'no-data-dir') });
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/401|Authentication failed/);
  }, 60_000);

  it('acceptance 4: `dozen audit -a shop` lists every change of the scenario with who made it, and no config value', async () => {
    const canary = `canary-${Date.now().toString(36)}`;
    await ada(['config:set', `SECRET_CANARY=${canary}`, '-a', 'shop']);
    const text = (await ada(['audit', '-a', 'shop', '--json'])).stdout;
    expect(text).not.toContain(canary);
    const events = JSON.parse(text) as { actor: { tokenId: string | null; label: string }; action: string; result: { status: number; code: string | null } }[];
    const seen = events.map((e) => `${e.actor.label} ${e.action} ${e.result.status}`);
    const bob403 = (action: string) => `bob@example.com ${action} 403`;
    expect(seen).toEqual(expect.arrayContaining([
      'ada@example.com createApp 201',
      'ada@example.com addAccess 201',
      'ada@example.com createToken 201',
      'ada@example.com createBuild 201',
      'ada@example.com gitReceivePack 200',
      'ada@example.com updateFormation 403',
      ...['updateConfig', 'createBuild', 'rollback', 'run', 'updateFormation', 'restartProcesses', 'stopProcess', 'addDomain', 'addDrain', 'createAddon', 'addAccess', 'transferApp', 'destroyApp'].map(bob403),
      'ada@example.com updateConfig 200',
    ]));
    // Only Ada and Bob touched shop; the scoped token's deploys are Ada's, under that token's id.
    expect(new Set(events.map((e) => e.actor.label))).toEqual(new Set(['ada@example.com', 'bob@example.com']));
    expect(events.filter((e) => e.action === 'gitReceivePack' || (e.action === 'createBuild' && e.result.status === 201)).map((e) => e.actor.tokenId)).toEqual([scopedId, scopedId]);
    expect(events.find((e) => e.action === 'updateConfig' && e.result.status === 403)?.result.code).toBe('PERMISSION_DENIED');
    // Bob may read the app's trail too (view); the platform's whole trail is the admin's.
    expect((await bob(['audit', '-a', 'shop'])).stdout).toMatch(/ada@example\.com\s+shop\s+updateConfig\s+200\s+\{"params":\{"app":"shop"\},"body":\{"SECRET_CANARY":"\[redacted\]"\}\}/);
    denied403(await bob(['audit']), 'not the platform admin');
    // The app's log stream tells the same story in Heroku's words.
    const logs = (await ada(['logs', '-a', 'shop', '-s', 'dozen', '-n', '1000'])).stdout;
    expect(logs).toMatch(/dozen\[api\]: Set SECRET_CANARY config vars by ada@example\.com/);
    expect(logs).toMatch(/dozen\[api\]: Deploy [0-9a-f]{8} by ada@example\.com/);
    expect(logs).not.toContain(canary);
  }, 60_000);

  it('logout revokes the saved token on the platform and forgets it', async () => {
    expect((await bob(['logout'])).stdout).toContain('revoked and forgotten');
    const after = await bob(['apps']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('(UNAUTHORIZED');
  });
});

function denied403(result: CliResult, text: string): void {
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(text);
  expect(result.stderr).toContain('(PERMISSION_DENIED');
}
