import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, processGroupsUnder, TestPlatform } from './support/platform.js';

/** Issue 4: without the sandbox the runtime still works, and says so at start and in `ps`. */
describe('runtime: the unsandboxed fallback', () => {
  let platform: TestPlatform;
  const ok = (args: string[]) => platform.ok(args);

  beforeAll(async () => {
    platform = await TestPlatform.start({ DOZEN_SANDBOX: 'none' });
    await ok(['apps:create', 'plain']);
    await ok(['deploy', 'test/e2e/fixtures/probe', '-a', 'plain']);
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('serves, runs one-offs, says it is unsandboxed at start and in ps, outlives a platform restart, and `down --stop-apps` stops everything', async () => {
    expect(platform.logs).toMatch(/"level":40.*App processes run unsandboxed: DOZEN_SANDBOX=none/);
    expect(platform.logs).toContain('Process limits: no cgroups (processes run unsandboxed): memory quota, pids limit, CPU weight and /tmp size are not enforced');
    expect(JSON.parse((await platform.http('plain')).body)).toMatchObject({ release: 'v1', uid: 0 });
    const ps = await ok(['ps', '-a', 'plain']);
    expect(ps.stdout).toContain('These processes run unsandboxed');
    // Plain resident memory, no quota: nothing enforces one.
    expect(JSON.parse((await ok(['ps', '-a', 'plain', '--json'])).stdout)[0]).toMatchObject({ name: 'web.1', state: 'up', sandboxed: false, memoryQuotaBytes: null });
    expect((await ok(['run', '-a', 'plain', '--', 'sh', '-c', 'echo "$DOZEN_PROCESS in $PWD"'])).stdout).toMatch(/^run\.\d+ in .*\/slugs\//);
    await ok(['ps:scale', 'worker=1', '-a', 'plain']);
    const slugs = `${platform.dataDir}/slugs`;
    await eventually(async () => expect(processGroupsUnder(slugs)).toHaveLength(2));
    // SIGTERM stops the platform process only: the apps outlive it, unsandboxed too.
    const groups = processGroupsUnder(slugs).sort();
    expect((await platform.stop('SIGTERM')).code).toBe(0);
    expect(processGroupsUnder(slugs).sort()).toEqual(groups);
    await platform.boot();
    expect(processGroupsUnder(slugs).sort()).toEqual(groups);
    await ok(['down', '--stop-apps']);
    expect(await platform.exited()).toBe(0);
    expect(processGroupsUnder(slugs)).toEqual([]);
  });
});
