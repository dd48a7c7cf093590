import { describe, expect, it } from 'vitest';
import { HttpsSink, makeCertificate, SyslogSink, until } from '../../packages/platform/src/test-support/log-sinks.js';
import { LOG_APP as APP, logProducerApp } from './support/log-app.js';
import { eventually } from './support/platform.js';

// The TLS drains' sinks use this certificate; the platform trusts it the way an operator would.
const CERT = makeCertificate(['localhost', '127.0.0.1']);
const LIMITS = { DOZEN_DRAIN_ALLOW_LOOPBACK: '1', DOZEN_DRAIN_BUFFER: '500', NODE_EXTRA_CA_CERTS: CERT.certFile };

/** Issue 6: drains through the real platform: bad URLs, TLS and HTTPS endpoints, reconnects, restarts. */
describe('drains', () => {
  const app = logProducerApp(LIMITS);
  const { ok, stats, restart } = app;

  it('refuses bad drain URLs and never prints credentials back', async () => {
    const refuse = async (url: string, code: string) => {
      const result = await app.platform.cli(['drains:add', url, '-a', APP]);
      expect(result.code, result.stdout).toBe(1);
      expect(result.stderr).toContain(`(${code}`);
      return result;
    };
    await refuse('ftp://logs.example.com/x', 'DRAIN_URL_INVALID');
    const apiPort = new URL(app.platform.apiUrl).port;
    await refuse(`syslog://127.0.0.1:${apiPort}`, 'DRAIN_URL_FORBIDDEN');
    await refuse(`https://localhost:${app.platform.routerPort}/`, 'DRAIN_URL_FORBIDDEN');
    await refuse('https://169.254.169.254/latest', 'DRAIN_URL_FORBIDDEN');
    const added = await ok(['drains:add', 'https://user:hunter2-secret@127.0.0.1:9/in?token=abcdefghijklmnop', '-a', APP]);
    const listed = await ok(['drains', '-a', APP, '--json']);
    for (const output of [added.stdout, listed.stdout]) {
      expect(output).not.toContain('hunter2');
      expect(output).not.toContain('abcdefghijklmnop');
    }
    expect(listed.stdout).toContain('https://user:****@127.0.0.1:9/in?token=abc****');
    await ok(['drains:remove', 'https://user:hunter2-secret@127.0.0.1:9/in?token=abcdefghijklmnop', '-a', APP]);
    expect(JSON.parse((await ok(['drains', '-a', APP, '--json'])).stdout)).toEqual([]);
  });

  it('delivers over TLS to a syslog+tls and an https (logplex) drain; for each, produced = delivered + dropped, exactly', async () => {
    const tlsSink = await SyslogSink.start(CERT);
    const httpsSink = await HttpsSink.start(CERT);
    const accepted: string[] = [];
    let refusing = true;
    httpsSink.respond = (post) => {
      if (refusing) return 500;
      accepted.push(...post.messages);
      return 200;
    };
    const syslogUrl = `syslog+tls://localhost:${tlsSink.port}`;
    const httpsUrl = `https://localhost:${httpsSink.port}/logs`;
    try {
      const lastId = async () => Number((await stats()).lastId);
      const beforeSyslog = await lastId();
      await ok(['drains:add', syslogUrl, '-a', APP]);
      const beforeHttps = await lastId();
      await ok(['drains:add', httpsUrl, '-a', APP]);
      // 3000 lines while the https endpoint answers 500: its drain retries and, past its buffer of 500, drops the oldest.
      await ok(['run', '-a', APP, '--', 'node', '-e', "for (let i = 1; i <= 3000; i++) console.log('tls line ' + i)"]);
      await eventually(async () => {
        const https = (await app.client.call('listDrains', { params: { app: APP } })).find((d) => d.url === httpsUrl);
        expect(https?.retries).toBeGreaterThan(0);
      }, 20_000, 200);
      refusing = false;
      const drains = await eventually(async () => {
        const after = await lastId();
        const all = await app.client.call('listDrains', { params: { app: APP } });
        const syslog = all.find((d) => d.url === syslogUrl);
        const https = all.find((d) => d.url === httpsUrl);
        expect(syslog?.queued).toBe(0);
        expect(https?.queued).toBe(0);
        expect((syslog?.delivered ?? 0) + (syslog?.dropped ?? 0)).toBe(after - beforeSyslog);
        expect((https?.delivered ?? 0) + (https?.dropped ?? 0)).toBe(after - beforeHttps);
        return { syslog, https };
      }, 60_000, 200);
      expect(drains.https?.dropped).toBeGreaterThan(0);
      expect(drains.https?.lastError).toBe('HTTP 500');
      // What the drains count as delivered is what the endpoints received, over TLS.
      await until(() => tlsSink.messages.filter((m) => !m.includes('Error L10')).length === drains.syslog?.delivered, 10_000, 'the syslog+tls sink to read all');
      expect(tlsSink.messages.some((m) => / logsapp app run\.\d+ - - tls line 3000$/.test(m))).toBe(true);
      expect(accepted.filter((m) => !m.includes('Error L10'))).toHaveLength(drains.https?.delivered ?? -1);
      expect(accepted.some((m) => / dozen logs - - Error L10 \(output buffer overflow\): \d+ messages dropped since /.test(m))).toBe(true);
      expect(accepted.some((m) => m.endsWith(' - - tls line 3000'))).toBe(true);
      expect(httpsSink.posts[0]?.headers['content-type']).toBe('application/logplex-1');
      // The CLI shows the same counters.
      const listed = (await ok(['drains', '-a', APP])).stdout;
      for (const d of [drains.syslog, drains.https]) {
        const row = listed.split('\n').find((line) => line.startsWith(`${d?.url ?? '?'} `));
        expect(row?.split(/\s+/).slice(0, 6)).toEqual([d?.url, d?.id, String(d?.delivered), String(d?.dropped), String(d?.retries), '0']);
      }
    } finally {
      await app.platform.cli(['drains:remove', syslogUrl, '-a', APP]);
      await app.platform.cli(['drains:remove', httpsUrl, '-a', APP]);
      await tlsSink.close();
      await httpsSink.close();
    }
  });

  it('reconnects a syslog drain whose endpoint hangs up or goes away while the app logs, counting retries; resumes it after a platform restart', async () => {
    let sink = await SyslogSink.start();
    const port = sink.port;
    const url = `syslog://127.0.0.1:${port}`;
    const drain = async () => (await app.client.call('listDrains', { params: { app: APP } })).find((d) => d.url === url);
    const beats = () => sink.messages.filter((m) => / - - beat \d+$/.test(m)).map((m) => Number(/beat (\d+)$/.exec(m)?.[1]));
    try {
      await ok(['drains:add', url, '-a', APP]);
      const started = await ok(['run', '--detached', '--json', '-a', APP, '--', 'node', '-e', "let i = 0; setInterval(() => console.log('beat ' + ++i), 20)"]);
      const one = (JSON.parse(started.stdout) as { process: string }).process;
      await until(() => beats().length >= 10, 30_000, 'beats at the sink');

      // The endpoint hangs up: the drain connects again and delivery goes on.
      for (const socket of sink.sockets) socket.destroy();
      const afterHangUp = Math.max(...beats());
      await until(() => sink.connections >= 2 && beats().some((n) => n > afterHangUp + 10), 30_000, 'beats after the hang-up');

      // The endpoint goes away (connections refused), then comes back on the same port.
      await sink.close();
      await eventually(async () => expect((await drain())?.retries).toBeGreaterThan(0), 30_000, 100);
      const down = await drain();
      expect(down?.lastError).toMatch(/ECONNREFUSED|closed the connection|EPIPE|ECONNRESET|ended by the other party/);
      const lastBeforeDown = Math.max(...beats());
      sink = await SyslogSink.start(undefined, port);
      await until(() => beats().some((n) => n > lastBeforeDown + 10), 30_000, 'beats after the endpoint came back');
      const back = await drain();
      expect(back?.retries).toBeGreaterThanOrEqual(down?.retries ?? 1);
      expect(back?.delivered).toBeGreaterThan(down?.delivered ?? 0);
      await ok(['ps:stop', one, '-a', APP]);

      // A restart of the platform resumes the stored drain.
      await restart();
      await ok(['run', '-a', APP, '--', 'echo', 'drained after the restart']);
      await until(() => sink.messages.some((m) => / app run\.\d+ - - drained after the restart$/.test(m)), 30_000, 'a line after the restart');
      expect((await drain())?.delivered).toBeGreaterThan(0);
    } finally {
      await app.platform.cli(['drains:remove', url, '-a', APP]);
      await sink.close();
    }
  });
});
