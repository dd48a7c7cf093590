import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox, SandboxedProcess, SandboxRequest } from '../shared-ports/sandbox.js';
import { openSandbox } from './open-sandbox.js';
import { Unsandboxed } from './unsandboxed.js';

/** Adapter tests against the real bubblewrap (CI runs as root with bubblewrap installed). */
const root = mkdtempSync(join(tmpdir(), 'dozen-sandbox-test-'));
const app = join(root, 'data', 'slugs', 'app');
const shared = join(root, 'shared');
const user = { uid: 70_990, gid: 70_990 };

interface Run {
  process: SandboxedProcess;
  output: () => string;
  /** Host pids of what is left of it. */
  left: () => number[];
}

function start(sandbox: Sandbox, argv: string[], extra: Partial<SandboxRequest> = {}): Run {
  let output = '';
  const mark = randomUUID();
  const process = sandbox.run({
    argv,
    cwd: sandbox.pathInside({ source: app, target: '/app', writable: false }),
    env: { PATH: '/usr/bin:/bin', MARK: mark, HOME: '/app', ...extra.env },
    user,
    binds: [
      { source: app, target: '/app', writable: false },
      { source: shared, target: '/shared', writable: true },
    ],
    stdin: false,
    output: (_stream, chunk) => (output += Buffer.from(chunk).toString()),
    ...extra,
  });
  return { process, output: () => output, left: () => marked(mark) };
}

/** Host pids whose environment carries `mark`. */
function marked(mark: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(`MARK=${mark}\0`)) pids.push(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  return pids;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
const term = `process.on('SIGTERM', () => setTimeout(() => { require('fs').writeFileSync('/shared/' + process.argv[2], 'done'); process.exit(0); }, 200)); setInterval(() => {}, 1000); console.log('up', process.argv[2]);`;

beforeAll(() => {
  mkdirSync(app, { recursive: true, mode: 0o700 });
  mkdirSync(shared, { recursive: true });
  chmodSync(shared, 0o777);
  writeFileSync(join(app, 'term.js'), term);
  writeFileSync(join(app, 'secret.txt'), 'only for the app', { mode: 0o600 });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('BubblewrapSandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = openSandbox('bubblewrap', join(root, 'data', 'sandbox'));
    await sandbox.grant(app, user);
  });

  it('runs as the app user with exactly the given environment, the slug read-only, its own /tmp and pids, and nothing else of the host', async () => {
    const env = start(sandbox, ['env']);
    expect(await env.process.exit).toEqual({ code: 0, signal: null, error: null });
    const variables = env.output().trim().split('\n').sort();
    expect(variables.map((line) => line.split('=')[0])).toEqual(['HOME', 'MARK', 'PATH']);
    expect(variables).toEqual(expect.arrayContaining(['HOME=/app', 'PATH=/usr/bin:/bin']));
    const script = [
      'id -u; id -g; id -un',
      'cat /app/secret.txt; echo',
      'touch /app/x 2>&1 | sed "s/.*: //"',
      'stat -c %a /tmp; touch /tmp/ok && echo tmp-writable',
      `ls ${root} /root /etc/shadow 2>&1 | sed "s/.*cannot/cannot/"`,
      'ls /proc | grep -c "^[0-9]"',
    ].join('; ');
    const run = start(sandbox, ['/bin/sh', '-c', script]);
    expect(await run.process.exit).toEqual({ code: 0, signal: null, error: null });
    const lines = run.output().trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([String(user.uid), String(user.gid), 'app']);
    expect(lines[3]).toBe('only for the app');
    expect(lines[4]).toBe('Read-only file system');
    expect(lines.slice(5, 7)).toEqual(['1777', 'tmp-writable']);
    expect(lines.slice(7, 10)).toEqual([
      `cannot access '${root}': No such file or directory`,
      "cannot access '/root': No such file or directory",
      "cannot access '/etc/shadow': No such file or directory",
    ]);
    // bwrap's reaper, the init, sh, ls and grep: nothing of the host.
    expect(Number(lines[10])).toBeLessThanOrEqual(5);
    // The private /tmp went with it.
    const next = start(sandbox, ['ls', '-A', '/tmp']);
    await next.process.exit;
    expect(next.output()).toBe('');
  });

  it('SIGTERM reaches every process started through sh -c and waits for them to finish', async () => {
    const run = start(sandbox, ['/bin/bash', '-c', 'node /app/term.js a & node /app/term.js b & wait']);
    await until(() => run.output().includes('up a') && run.output().includes('up b'));
    expect(run.process.usage().pid).toBeGreaterThan(1);
    expect(run.process.usage().rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    run.process.signal('SIGTERM');
    await run.process.exit;
    expect(readFileSync(join(shared, 'a'), 'utf8')).toBe('done');
    expect(readFileSync(join(shared, 'b'), 'utf8')).toBe('done');
    expect(run.left()).toEqual([]);
  });

  it('ends everything it started when its main process exits, daemons included', async () => {
    const run = start(sandbox, ['/bin/bash', '-c', 'setsid sleep 300 & sleep 0.3; echo leaving']);
    await until(() => run.left().length >= 3);
    const result = await run.process.exit;
    expect(result.code).toBe(0);
    expect(run.left()).toEqual([]);
  });

  it('SIGKILL ends a process that ignores SIGTERM, with all its children', async () => {
    const run = start(sandbox, ['/bin/bash', '-c', `node -e "process.on('SIGTERM', () => console.log('ignored')); setInterval(() => {}, 1000); console.log('up')" & sleep 300 & wait`]);
    await until(() => run.output().includes('up'));
    run.process.signal('SIGTERM');
    await until(() => run.output().includes('ignored'));
    await sleep(300);
    expect(run.left().length).toBeGreaterThanOrEqual(3);
    run.process.signal('SIGKILL');
    await run.process.exit;
    expect(run.left()).toEqual([]);
  });

  it('SIGINT stops the main process; stdin is piped; a missing command fails like a shell', async () => {
    const sleeping = start(sandbox, ['sleep', '300']);
    sleeping.process.signal('SIGINT');
    expect((await sleeping.process.exit).code).toBe(130);

    const counting = start(sandbox, ['wc', '-c'], { stdin: true });
    counting.process.write(new TextEncoder().encode('twelve bytes'));
    counting.process.endInput();
    expect(await counting.process.exit).toMatchObject({ code: 0 });
    expect(counting.output().trim()).toBe('12');

    const missing = start(sandbox, ['no-such-program', '--flag']);
    expect((await missing.process.exit).code).toBe(127);
    expect(missing.output()).toContain('no-such-program: command not found');
  });

  it('runs on a terminal: size and resize, Ctrl-C to the foreground job, the exit code', async () => {
    const run = start(sandbox, ['/bin/bash', '--norc', '-i'], { tty: { columns: 80, rows: 24 }, stdin: true, env: { TERM: 'xterm', PS1: '$ ' } });
    const type = (text: string) => run.process.write(new TextEncoder().encode(text));
    await until(() => run.output().includes('$ '));
    type('stty size\r');
    await until(() => run.output().includes('24 80'));
    run.process.resize(100, 30);
    type('stty size\r');
    await until(() => run.output().includes('30 100'));
    type('sleep 300\r');
    await sleep(300);
    run.process.signal('SIGINT');
    type('echo after-$((40+2))\r');
    await until(() => run.output().includes('after-42'));
    type('exit 3\r');
    expect(await run.process.exit).toMatchObject({ code: 3 });
  });

  it('dies with the platform: kill -9 of the process that started a sandbox leaves nothing of it', async () => {
    const mark = randomUUID();
    const script = `
      import { BubblewrapSandbox } from ${JSON.stringify(new URL('../../dist/sandbox/bubblewrap-sandbox.js', import.meta.url).href)};
      const sandbox = new BubblewrapSandbox({ bwrap: '/usr/bin/bwrap', stateDir: ${JSON.stringify(join(root, 'data', 'sandbox'))} });
      sandbox.run({ argv: ['/bin/bash', '-c', 'setsid sleep 300 & sleep 300 & node -e "setInterval(() => {}, 1000)"'], cwd: '/', env: { PATH: '/usr/bin:/bin', MARK: ${JSON.stringify(mark)} },
        user: { uid: ${user.uid}, gid: ${user.gid} }, binds: [], stdin: false, output: () => undefined });
      setInterval(() => {}, 1000);`;
    const platform = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    await until(() => marked(mark).length >= 4, 10_000);
    platform.kill('SIGKILL');
    await until(() => marked(mark).length === 0);
  });

  it('gives the slug to the app user once, leaving it read-only to the app', () => {
    expect(statSync(app).uid).toBe(user.uid);
    expect(statSync(join(app, 'secret.txt')).uid).toBe(user.uid);
    expect(existsSync(join(root, 'data', 'sandbox', 'init.sh'))).toBe(true);
  });
});

describe('Unsandboxed fallback', () => {
  const sandbox = new Unsandboxed('unsandboxed: for the test');

  it('runs the program in the slug as the platform user and stops its whole process group', async () => {
    const run = start(sandbox, ['/bin/bash', '-c', 'echo "$PWD $(id -u)"; sleep 300 & sleep 300 & wait']);
    await until(() => run.left().length >= 3 && run.output().length > 0);
    expect(run.output().trim()).toBe(`${app} ${process.getuid?.()}`);
    expect(sandbox.pathInside({ source: app, target: '/app', writable: false })).toBe(app);
    run.process.signal('SIGTERM');
    await run.process.exit;
    await until(() => run.left().length === 0);
  });

  it('ends at the next start what a kill -9 of the platform left running (its groups are recorded)', async () => {
    const state = join(root, 'fallback-state');
    const first = openSandbox('none', state);
    const run = start(first, ['/bin/bash', '-c', 'sleep 300 & sleep 300 & wait']);
    await until(() => run.left().length >= 3);
    // What a new platform process does at start: sweep the recorded groups.
    const next = openSandbox('none', state);
    expect(next.kind).toBe('none');
    await run.process.exit;
    await until(() => run.left().length === 0);
  });

  it('reports a missing program', async () => {
    const run = start(sandbox, ['no-such-program']);
    expect(await run.process.exit).toMatchObject({ code: null, error: 'no-such-program was not found' });
  });
});
