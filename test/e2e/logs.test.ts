import { existsSync, readFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LogLine, type LogStats } from '../../packages/contracts/src/index.js';
import { SyslogSink, until } from '../../packages/platform/src/test-support/log-sinks.js';
import { LOG_APP as APP, LOG_FIXTURE as FIXTURE, logProducerApp } from './support/log-app.js';
import { eventually, type TestPlatform } from './support/platform.js';

const LIMITS = { DOZEN_LOG_LINES: '5000', DOZEN_LOG_MEGABYTES: '4', DOZEN_DRAIN_ALLOW_LOOPBACK: '1', DOZEN_DRAIN_BUFFER: '500' };

/** Issue 6: one event stream per app, history that survives, drains that never block the app (drains: drains.test.ts). */
describe('logs: collection, history, reading and drains', () => {
  const app = logProducerApp(LIMITS);
  const { ok, stats, restart } = app;
  const lines = (query: { lines?: number; process?: string; source?: 'app' | 'router' | 'dozen'; since?: string }) => app.client.call('getLogs', { params: { app: APP }, query });
  const waitFor = (process: string, text: string, timeoutMs = 60_000) =>
    eventually(async () => {
      const found = await lines({ process, lines: 10, source: 'app' });
      expect(found.map((l) => l.message)).toContain(text);
    }, timeoutMs, 200);
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${app.platform.pid}/status`, 'utf8'))?.[1]) * 1024;

  it('puts build output in the stream as app[build] and filters by process, source and time on the platform', async () => {
    const build = await ok(['logs', '-a', APP, '-p', 'build', '-s', 'app', '-n', '200']);
    expect(build.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 app\[build\]: .*No build step/m);
    expect(build.stdout.split('\n').filter(Boolean).every((l) => l.includes(' app[build]: '))).toBe(true);
    const platformLines = await ok(['logs', '-a', APP, '-s', 'dozen']);
    expect(platformLines.stdout).toMatch(/dozen\[api\]: Release v1 created/);
    expect(platformLines.stdout).not.toMatch(/ app\[/);
    const future = await ok(['logs', '-a', APP, '--since', new Date(Date.now() + 60_000).toISOString()]);
    expect(future.stdout).toBe('');
    expect((await ok(['logs', '-a', APP, '--since', '10m', '-s', 'dozen'])).stdout).toMatch(/Release v1 created/);
    const bad = await app.platform.cli(['logs', '-a', APP, '--since', 'yesterday']);
    expect(bad.stderr).toContain('(LOG_QUERY_INVALID');
    expect((await app.platform.cli(['logs', '-a', APP, '-p', 'web.x'])).stderr).toContain('(LOG_QUERY_INVALID');
  });

  it("collects a formation process's stderr as well as its stdout", async () => {
    await ok(['ps:scale', 'stderr=1', '-a', APP]);
    await waitFor('stderr.1', 'written to stderr');
    await ok(['ps:scale', 'stderr=0', '-a', APP]);
  });

  it('keeps NUL, escapes and invalid UTF-8 in the data, and shows them harmlessly without colour', async () => {
    await ok(['ps:scale', 'hostile=1', '-a', APP]);
    await waitFor('hostile', 'hostile done');
    const json = JSON.parse((await ok(['logs', '-a', APP, '-p', 'hostile', '-s', 'app', '--json'])).stdout) as LogLine[];
    const messages = json.map((l) => l.message);
    expect(messages).toContain('nul:\u0000:end');
    expect(messages).toContain('esc:\u001b[31mred\u001b[0m and \u001b]52;c;aGk=\u0007 clipboard');
    expect(messages).toContain('bad utf8:\ufffd\ufffd:end');
    expect(messages).toContain('carriage\rreturn');
    expect(messages).toContain('123 <13>1 2024-01-01T00:00:00Z host app - - frame lookalike');
    const plain = (await ok(['logs', '-a', APP, '-p', 'hostile.1'])).stdout;
    expect(plain).not.toMatch(/[\u0000\u0007\u001b\r]/);
    expect(plain).toContain('app[hostile.1]: esc:\\x1b[31mred\\x1b[0m and \\x1b]52;c;aGk=\\x07 clipboard');
    expect(plain).toContain('app[hostile.1]: nul:\\x00:end');
  });

  it('cuts 32 MB without a newline into 10 000-byte lines with bounded memory, and accounts for every line', async () => {
    const before = rss();
    await ok(['ps:scale', 'blob=1', '-a', APP]);
    await waitFor('blob', 'blob done', 120_000);
    const produced = Math.ceil((32 * 1024 * 1024) / 10_000) + 1;
    const kept = await lines({ process: 'blob.1', source: 'app', lines: 10_000 });
    const s = await stats();
    expect(kept.length + (s.droppedByProcess['app[blob.1]'] ?? 0)).toBe(produced);
    expect(kept.slice(0, -2).every((l) => l.message.length === 10_000)).toBe(true);
    expect(s.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(s.lines).toBeLessThanOrEqual(5000);
    expect(rss() - before).toBeLessThan(150 * 1024 * 1024);
  });

  it('takes a flood of tiny lines: produced = in history + reported dropped, exactly', async () => {
    await ok(['ps:scale', 'flood=1', '-a', APP]);
    await waitFor('flood', 'flood done', 120_000);
    const kept = await lines({ process: 'flood.1', source: 'app', lines: 10_000 });
    const s = await stats();
    const dropped = s.droppedByProcess['app[flood.1]'] ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(kept.length + dropped).toBe(100_000 + 1);
    expect(kept.at(-2)?.message).toBe('f100000');
    // oldest dropped first: what is kept is the newest, contiguous
    const numbers = kept.slice(0, -1).map((l) => Number(l.message.slice(1)));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] as number + i));
  });

  it('never blocks the app: 64 MB to stdout while a tail client reads nothing and a drain reads nothing; memory stays bounded', async () => {
    const sink = await SyslogSink.start();
    sink.pause(true);
    const tail = await openStalledTail(app.platform, APP);
    const before = await stats();
    await ok(['drains:add', `syslog://127.0.0.1:${sink.port}`, '-a', APP]);
    const rssBefore = rss();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rss())), 100);
    try {
      await ok(['ps:scale', 'firehose=1', '-a', APP]);
      // If anything pushed back on the app, it would never get here.
      await waitFor('firehose', 'firehose done', 150_000);
    } finally {
      clearInterval(sampler);
    }
    expect(peak - rssBefore).toBeLessThan(200 * 1024 * 1024);
    // The stalled tail client, reading again, is told what it missed. (It stalled for less than the
    // platform's one-minute cut-off: were it cut off instead, the text ends with the close and fails.)
    const skipped = /event: notice\ndata: \{"message":"\d+ lines were skipped/;
    const received = await tail.readUntil(skipped, 30_000);
    expect(skipped.test(received), `no notice; the stream ended with: ${received.slice(-300)}`).toBe(true);
    tail.close();
    // The drain fell behind: it dropped the oldest, and now delivers the rest with an L10 notice.
    sink.pause(false);
    const drain = await eventually(async () => {
      const [d] = await app.client.call('listDrains', { params: { app: APP } });
      expect(d?.queued).toBe(0);
      return d;
    }, 60_000, 200);
    const after = await stats();
    const produced = Number(after.lastId) - Number(before.lastId);
    expect(drain?.dropped).toBeGreaterThan(0);
    expect((drain?.delivered ?? 0) + (drain?.dropped ?? 0)).toBe(produced);
    await until(() => sink.messages.filter((m) => !m.includes('Error L10')).length === drain?.delivered, 10_000, 'the sink to read all');
    expect(sink.messages.some((m) => / dozen logs - - Error L10 \(output buffer overflow\): \d+ messages dropped since /.test(m))).toBe(true);
    const listed = await ok(['drains', '-a', APP]);
    expect(listed.stdout).toContain(`syslog://127.0.0.1:${sink.port}`);
    expect(listed.stdout).toContain(String(drain?.delivered));
    await ok(['drains:remove', `syslog://127.0.0.1:${sink.port}`, '-a', APP]);
    await sink.close();
  });

  it('keeps the history across a redeploy and a platform restart, and a tail resumes with no gap and no repeat', async () => {
    await ok(['ps:scale', 'flood=0', 'blob=0', 'firehose=0', 'hostile=0', '-a', APP]);
    await ok(['run', '-a', APP, '--', 'echo', 'marker-1']);
    await ok(['deploy', FIXTURE, '-a', APP]);
    expect((await ok(['logs', '-a', APP, '-n', '2000'])).stdout).toMatch(/app\[run\.\d+\]: marker-1/);

    const seen: LogLine[] = [];
    const stop = new AbortController();
    const following = (async () => {
      for await (const line of app.client.tailLogs(APP, { lines: 0, reconnect: true, signal: stop.signal, process: 'run' })) seen.push(line);
    })().catch(() => undefined);
    await ok(['run', '-a', APP, '--', 'echo', 'marker-2']);
    await until(() => seen.some((l) => l.message === 'marker-2'), 20_000, 'marker-2 live');

    await restart();
    await ok(['run', '-a', APP, '--', 'echo', 'marker-3']);
    await until(() => seen.some((l) => l.message === 'marker-3'), 30_000, 'marker-3 after the restart');
    stop.abort();
    await following;
    const markers = seen.filter((l) => l.message.startsWith('marker-'));
    expect(markers.map((l) => l.message)).toEqual(['marker-2', 'marker-3']);
    const ids = seen.map((l) => Number(l.id));
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    const history = (await ok(['logs', '-a', APP, '-n', '3000'])).stdout;
    for (const marker of ['marker-1', 'marker-2', 'marker-3']) expect(history).toContain(marker);
  });

  it('apps:destroy removes the history', async () => {
    expect(existsSync(join(app.platform.dataDir, 'logs', APP))).toBe(true);
    await ok(['apps:destroy', APP, '--confirm', APP]);
    expect(existsSync(join(app.platform.dataDir, 'logs', APP))).toBe(false);
    await ok(['apps:create', APP]);
    const fresh = (await ok(['logs', '-a', APP, '--json'])).stdout;
    expect((JSON.parse(fresh) as LogLine[]).map((l) => l.message)).toEqual([`App ${APP} created by admin`]);
    const s: LogStats = await stats();
    expect(s.dropped).toBe(0);
  });
});

/** An SSE client that connects and then reads nothing until asked. */
async function openStalledTail(platform: TestPlatform, app: string): Promise<{ readUntil(pattern: RegExp, timeoutMs: number): Promise<string>; close(): void }> {
  const token = readFileSync(join(platform.dataDir, 'admin-token'), 'utf8').trim();
  const url = new URL(`${platform.apiUrl}/apps/${app}/logs/stream?lines=0`);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { authorization: `Bearer ${token}` } }, resolve);
    req.on('error', reject);
    req.end();
  });
  res.pause();
  return {
    /** Reads again until `pattern` shows, the platform closes the stream, or `timeoutMs` passes. */
    readUntil: (pattern, timeoutMs) =>
      new Promise((resolve) => {
        let text = '';
        const done = () => {
          clearTimeout(timer);
          resolve(text);
        };
        const timer = setTimeout(done, timeoutMs);
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (pattern.test(text)) done();
        });
        res.on('close', () => {
          text += '[closed by the platform]';
          done();
        });
        res.resume();
      }),
    close: () => res.destroy(),
  };
}
