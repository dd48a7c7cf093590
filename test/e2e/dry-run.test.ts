import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TestPlatform } from './support/platform.js';

const PROBE = join(ROOT, 'test', 'e2e', 'fixtures', 'probe');

interface Proc {
  name: string;
  pid: number | null;
  release: number;
}

/**
 * Issue 11, acceptance 2: `--dry-run` of every change that makes a release prints the release it
 * would create and the processes that would start and stop, from the same plan the change takes,
 * and changes nothing: releases, config and processes are as they were.
 */
describe('--dry-run of changes that make a release', () => {
  let platform: TestPlatform;
  const scratch = mkdtempSync(join(tmpdir(), 'dozen-e2e-dry-'));
  const ok = (args: string[]) => platform.ok(args);
  const fails = (args: string[], code: string) => platform.fails(args, code);
  /** Everything a dry run must leave as it is, as the user sees it. */
  const snapshot = async (app: string) => ({
    releases: (await ok(['releases', '-a', app, '--json'])).stdout,
    config: (await ok(['config', '-a', app, '--json'])).stdout,
    processes: (JSON.parse((await ok(['ps', '-a', app, '--json'])).stdout) as Proc[]).map((p) => [p.name, p.pid, p.release]),
    addons: (await ok(['addons', '-a', app, '--json'])).stdout,
  });

  beforeAll(async () => {
    platform = await TestPlatform.start();
    await ok(['apps:create', 'dry']);
    await ok(['config:set', 'GREETING=hello', '-a', 'dry']); // v1: no slug yet
    await ok(['deploy', PROBE, '-a', 'dry']); // v2
    await ok(['config:set', 'COLOR=blue', '-a', 'dry']); // v3
    await ok(['ps:scale', 'worker=1', '-a', 'dry']);
    // An add-on of another app, to attach to this one.
    await ok(['apps:create', 'owner']);
    await ok(['addons:attach', 'url', 'smtp://mail.example.com:587', '--as', 'SMTP_URL', '-a', 'owner']);
  }, 180_000);
  afterAll(async () => {
    await platform?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('config:set --dry-run prints the release, the keys it changes and the rollout; nothing changes', async () => {
    const before = await snapshot('dry');
    const { stdout } = await ok(['config:set', 'GREETING=bonjour', 'SIZE=10', '--dry-run', '-a', 'dry']);
    expect(stdout).toContain('Setting GREETING, SIZE on dry would release v4: Set GREETING, SIZE config vars');
    expect(stdout).toMatch(/Config vars set: {3}GREETING, SIZE\n/);
    expect(stdout).toMatch(/1\. now:\n\s+start\s+web\.1 v4\n\s+stop\s+worker\.1 v3 \(replaced\)\n\s+2\. then, once the step above has taken effect:\n\s+stop\s+web\.1 v3 \(replaced\)\n\s+start\s+worker\.1 v4/);
    expect(stdout).toContain('Nothing was changed (dry run).');
    expect(await snapshot('dry')).toEqual(before);
    // The same values: nothing to release, as config:set itself would decide.
    expect((await ok(['config:set', 'GREETING=hello', '--dry-run', '-a', 'dry'])).stdout).toContain('would release nothing');
  });

  it('config:unset --dry-run names the keys it removes; nothing changes', async () => {
    const before = await snapshot('dry');
    const { stdout } = await ok(['config:unset', 'COLOR', '--dry-run', '-a', 'dry']);
    expect(stdout).toContain('Unsetting COLOR on dry would release v4: Unset COLOR config vars');
    expect(stdout).toMatch(/Config vars unset: COLOR\n/);
    expect(stdout).toMatch(/start\s+web\.1 v4/);
    expect(await snapshot('dry')).toEqual(before);
  });

  it('rollback --dry-run prints the release it would create and the config it brings back; nothing changes', async () => {
    const before = await snapshot('dry');
    const { stdout } = await ok(['rollback', '--dry-run', '-a', 'dry']);
    expect(stdout).toContain('Rolling dry back would release v4: Rollback to v2');
    expect(stdout).toMatch(/Config vars unset: COLOR\n/);
    expect(stdout).toMatch(/1\. now:\n\s+start\s+web\.1 v4\n\s+stop\s+worker\.1 v3 \(replaced\)/);
    // v1 has no slug: like the rollback itself, the plan leaves the processes alone.
    const toV1 = await ok(['rollback', 'v1', '--dry-run', '-a', 'dry']);
    expect(toV1.stdout).toContain('Rolling dry back would release v4: Rollback to v1');
    expect(toV1.stdout).toMatch(/Config vars unset: COLOR\n[\s\S]*Nothing to do: the processes already match\./);
    expect(await snapshot('dry')).toEqual(before);
    await fails(['rollback', 'v99', '--dry-run', '-a', 'dry'], 'RELEASE_NOT_FOUND');
  });

  it('addons:attach and addons:detach --dry-run print the release with the attachment var; nothing changes', async () => {
    const addon = (JSON.parse((await ok(['addons', '-a', 'owner', '--json'])).stdout) as { name: string }[])[0]?.name as string;
    const before = await snapshot('dry');
    const attach = await ok(['addons:attach', addon, '--as', 'MAIL_URL', '--dry-run', '-a', 'dry']);
    expect(attach.stdout).toContain(`Attaching ${addon} to dry would release v4: Attach ${addon} as MAIL_URL`);
    expect(attach.stdout).toMatch(/Config vars set: {3}MAIL_URL\n/);
    expect(attach.stdout).toMatch(/start\s+web\.1 v4/);
    expect(await snapshot('dry')).toEqual(before);
    await fails(['addons:attach', addon, '--as', 'GREETING', '--dry-run', '-a', 'dry'], 'ADDON_ATTACHMENT_NAME_TAKEN');

    const ownerBefore = await snapshot('owner');
    const detach = await ok(['addons:detach', 'SMTP_URL', '--dry-run', '-a', 'owner']);
    expect(detach.stdout).toContain(`Detaching SMTP_URL from owner would release v2: Detach ${addon} (SMTP_URL)`);
    expect(detach.stdout).toMatch(/Config vars unset: SMTP_URL\n/);
    expect(await snapshot('owner')).toEqual(ownerBefore);
  });

  it('deploy --dry-run prints the release and the release phase from the Procfile; builds nothing', async () => {
    const app = join(scratch, 'with-release-phase');
    cpSync(PROBE, app, { recursive: true });
    writeFileSync(join(app, 'Procfile'), 'web: node server.js\nrelease: node probe.js migrate\n');
    const before = await snapshot('dry');
    const builds = (await ok(['builds', '-a', 'dry', '--json'])).stdout;
    const { stdout } = await ok(['deploy', app, '--dry-run', '-a', 'dry']);
    expect(stdout).toContain(`Deploying ${app} to dry would build it and release v4.`);
    expect(stdout).toContain('Release phase first: node probe.js migrate');
    expect(stdout).toMatch(/1\. now:\n\s+start\s+web\.1 v4\n\s+stop\s+worker\.1 v3 \(scaled down\)/);
    expect(await snapshot('dry')).toEqual(before);
    expect((await ok(['builds', '-a', 'dry', '--json'])).stdout).toBe(builds);
  });

  it('the same changes without --dry-run make the release the dry run announced', async () => {
    const planned = (await ok(['config:set', 'GREETING=bonjour', '--dry-run', '-a', 'dry'])).stdout;
    const version = /would release (v\d+)/.exec(planned)?.[1];
    expect((await ok(['config:set', 'GREETING=bonjour', '-a', 'dry'])).stdout).toBe(`Set GREETING and released ${version}.\n`);
  });
});
