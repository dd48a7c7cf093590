import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeRunData, RunChannel } from '../../packages/contracts/src/index.js';
import { adminTokenPath } from '../../packages/contracts/src/node/index.js';
import { ROOT, TestPlatform } from './support/platform.js';

const PROBE = 'test/e2e/fixtures/probe';
const TOTAL = 200_000_000;

const rssMiB = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/** The bytes the process running `argv` has written, once that count holds still for 0.5 s (deadline 30 s). */
async function settledWrites(argv: string[]): Promise<number> {
  const cmdline = `${argv.join('\0')}\0`;
  const wchar = () => {
    for (const entry of readdirSync('/proc')) {
      try {
        if (/^\d+$/.test(entry) && readFileSync(`/proc/${entry}/cmdline`, 'utf8') === cmdline) return Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${entry}/io`, 'utf8'))?.[1]);
      } catch {
        // gone meanwhile
      }
    }
    return NaN;
  };
  let last = wchar();
  for (let same = 0, deadline = Date.now() + 30_000; same < 5; ) {
    if (Date.now() > deadline) throw new Error(`${argv.join(' ')} never stopped writing (${last} bytes written)`);
    await new Promise((r) => setTimeout(r, 100));
    const now = wchar();
    same = now === last && Number.isFinite(now) ? same + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * An attached `dozen run` whose client reads slowly: the one-off blocks on its output (as on a
 * slow terminal) instead of the platform buffering it, and nothing is lost.
 */
describe('dozen run: output to a client that reads slowly', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await TestPlatform.start();
    for (const args of [['apps:create', 'flow'], ['deploy', PROBE, '-a', 'flow']]) {
      const result = await platform.cli(args);
      expect(result.code, result.stderr).toBe(0);
    }
  });
  afterAll(async () => {
    await platform?.destroy();
  });

  it('keeps the platform memory bounded while the client pauses, then delivers every byte', async () => {
    const pid = platform.pid as number;
    const token = readFileSync(adminTokenPath(platform.dataDir), 'utf8').trim();
    const socket = new WebSocket(`${platform.apiUrl.replace(/^http/, 'ws')}/apps/flow/run`, { headers: { authorization: `Bearer ${token}` } });
    let received = 0;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const exit = new Promise<{ code: number | null }>((resolve, reject) => {
      socket.on('message', (data, binary) => {
        if (binary) {
          const frame = decodeRunData(new Uint8Array(data as Buffer));
          if (frame.channel === RunChannel.stdout) received += frame.data.length;
          return;
        }
        const message = JSON.parse(String(data)) as { type: string; code: number | null };
        if (message.type === 'started') started();
        if (message.type === 'exit') resolve(message);
        if (message.type === 'error') reject(new Error(String(data)));
      });
      socket.on('error', reject);
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'start', command: ['head', '-c', String(TOTAL), '/dev/zero'] })));
    await running;
    const before = rssMiB(pid);
    // The one-off runs in the edge: its memory must stay bounded too.
    const edge = platform.edgePid as number;
    const edgeBefore = rssMiB(edge);
    socket.pause();
    // Wait for the backpressure to reach the command: `head` stops writing (its write count holds
    // still) instead of waiting a guessed 2 s. Unpaced, it would write all 200 MB at once.
    const written = await settledWrites(['head', '-c', String(TOTAL), '/dev/zero']);
    expect(written).toBeLessThan(TOTAL / 2);
    const during = rssMiB(pid);
    const edgeDuring = rssMiB(edge);
    const whilePaused = received;
    socket.resume();
    expect(await exit).toMatchObject({ code: 0 });
    expect(received).toBe(TOTAL);
    expect(whilePaused).toBeLessThan(TOTAL / 2);
    expect(during - before, `platform RSS ${before.toFixed(0)} -> ${during.toFixed(0)} MiB while the client paused`).toBeLessThan(48);
    expect(edgeDuring - edgeBefore, `edge RSS ${edgeBefore.toFixed(0)} -> ${edgeDuring.toFixed(0)} MiB while the client paused`).toBeLessThan(48);
  });

  it('dozen run piped into a reader that starts late: the CLI slows down too, every byte arrives, the exit code comes back', async () => {
    const dozen = join(ROOT, 'packages', 'cli', 'bin', 'dozen.js');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: platform.dataDir, DOZEN_API_URL: platform.apiUrl, DOZEN_DATA_DIR: platform.dataDir };
    // The consumer reads nothing for 2 s: the pipe fills, the CLI stops reading the connection.
    const script = `"$NODE" "$DOZEN" run -a flow -- sh -c 'head -c 50000000 /dev/zero; exit 3' | (sleep 2; wc -c); echo "status \${PIPESTATUS[0]}"`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['-c', script], { env: { ...env, NODE: process.execPath, DOZEN: dozen }, timeout: 60_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(out.trim().split('\n')).toEqual(['50000000', 'status 3']);
  });
});
