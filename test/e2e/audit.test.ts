import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROOT, TestPlatform } from './support/platform.js';

const PROBE = join(ROOT, 'test', 'e2e', 'fixtures', 'probe');

interface AuditEvent {
  time: string;
  actor: { tokenId: string | null; userId: string | null; label: string };
  app: string | null;
  action: string;
  params: Record<string, unknown>;
  result: { status: number; code: string | null };
  requestId: string;
}

/**
 * Issue 13, the audit trail: every state-changing request is recorded (who, app, action,
 * redacted parameters, result, request id), `dozen audit` lists it, and the app's log stream says
 * what happened and by whom, as Heroku's `app[api]` lines do.
 */
describe('the audit trail', () => {
  let platform: TestPlatform;
  const canary = `canary-${randomBytes(8).toString('hex')}`;
  const ok = (args: string[]) => platform.ok(args);
  const audit = async (args: string[]) => JSON.parse((await ok(['audit', ...args, '--json'])).stdout) as AuditEvent[];

  beforeAll(async () => {
    platform = await TestPlatform.start();
    await ok(['apps:create', 'shop']);
    await ok(['deploy', PROBE, '-a', 'shop']);
    await ok(['config:set', `SECRET_CANARY=${canary}`, 'GREETING=hello', '-a', 'shop']);
    await ok(['config:set', 'GREETING=hello', '--dry-run', '-a', 'shop']); // a dry run is not a change
    await platform.fails(['config:set', '1BAD=x', '-a', 'shop'], 'CONFIG_KEY_INVALID');
    await ok(['ps:scale', 'web=2', '-a', 'shop']);
    await ok(['ps:restart', 'web', '-a', 'shop']);
    await ok(['run', '-a', 'shop', '--', 'true']);
    await ok(['config:unset', 'GREETING', '-a', 'shop']);
    await ok(['apps:create', 'other']);
  }, 180_000);
  afterAll(async () => {
    await platform?.destroy();
  });

  it('lists every change of the app, in order, with who made it and the result; reads and dry runs are not in it', async () => {
    const events = await audit(['-a', 'shop']);
    expect(events.map((e) => [e.action, e.result.status, e.result.code])).toEqual([
      ['createApp', 201, null],
      ['createBuild', 201, null],
      ['updateConfig', 200, null],
      ['updateConfig', 422, 'CONFIG_KEY_INVALID'],
      ['updateFormation', 200, null],
      ['restartProcesses', 200, null],
      ['run', 101, null],
      ['updateConfig', 200, null],
    ]);
    for (const event of events) {
      expect(event.actor.label).toBe('admin');
      expect(event.actor.tokenId).toMatch(/\S/);
      expect(event.app).toBe('shop');
      expect(event.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(events[2]?.params).toEqual({ params: { app: 'shop' }, body: { SECRET_CANARY: '[redacted]', GREETING: '[redacted]' } });
    expect(events[7]?.params).toEqual({ params: { app: 'shop' }, body: { GREETING: null } });
    expect(events[4]?.params).toEqual({ params: { app: 'shop' }, body: { updates: [{ type: 'web', quantity: 2 }] } });
  });

  it('never holds a config value, in JSON or as the table', async () => {
    expect(JSON.stringify(await audit([]))).not.toContain(canary);
    const { stdout } = await ok(['audit', '-a', 'shop']);
    expect(stdout).not.toContain(canary);
    expect(stdout).toMatch(/admin\s+shop\s+updateConfig\s+200\s+\{"params":\{"app":"shop"\},"body":\{"SECRET_CANARY":"\[redacted\]"/);
    expect(stdout).toMatch(/updateConfig\s+422 CONFIG_KEY_INVALID/);
  });

  it('lists the whole platform for the admin, filters by time, and limits to the newest', async () => {
    const all = await audit([]);
    expect(all.at(-1)).toMatchObject({ action: 'createApp', app: 'other' });
    expect(all.map((e) => e.app)).toContain('shop');
    expect((await audit(['-n', '2'])).map((e) => e.action)).toEqual(['updateConfig', 'createApp']);
    expect(await audit(['--since', new Date(Date.now() + 60_000).toISOString()])).toEqual([]);
    expect((await audit(['--since', '1h'])).length).toBe(all.length);
    await platform.fails(['audit', '--since', 'yesterday'], 'AUDIT_QUERY_INVALID');
  });

  it("tells the app's log stream what changed and who did it, as dozen[api] lines", async () => {
    const api = await eventually(async () => {
      const { stdout } = await ok(['logs', '-a', 'shop', '--source', 'dozen', '-n', '500']);
      const lines = stdout.split('\n').filter((l) => l.includes('dozen[api]:')).map((l) => l.replace(/^.*dozen\[api\]: /, ''));
      expect(lines.some((l) => l.startsWith('Deploy'))).toBe(true);
      return lines;
    });
    expect(api).toEqual([
      'App shop created by admin',
      expect.stringMatching(/^Deploy [0-9a-f]{8} by admin$/),
      'Release v1 created by admin',
      'Release v1 is now current',
      'Set SECRET_CANARY, GREETING config vars by admin',
      'Release v2 created by admin',
      'Release v2 is now current',
      'Scaled to web@2 by admin',
      'Restarting web processes by admin',
      expect.stringMatching(/^Starting process run\.\d+ with command `true` by admin$/),
      'Unset GREETING config vars by admin',
      'Release v3 created by admin',
      'Release v3 is now current',
    ]);
  });
});
