import { describe, expect, it } from 'vitest';
import type { CheckStatus } from './check.js';
import type { Evidence, EvidenceRecord } from './evidence.js';
import { formatMs, runtimeChecks } from './runtime-checks.js';

function record(process: string, evidence: Evidence): EvidenceRecord {
  return { appId: 'a1', app: 'app', release: 3, process, at: '2026-12-06T00:00:00.000Z', ...evidence } as EvidenceRecord;
}

const sampled = (paths: string[] = []) => record('web.1', { kind: 'log-files', value: { paths, samples: 3 } });
const listen = (addresses: string[], acceptMs: number | null = 120) => record('web.1', { kind: 'listen', value: { port: 4000, addresses, acceptMs } });
const boot = (ms: number, ready = true) => record('web.1', { kind: 'boot', value: { ms, ready } });
const stop = (ms: number, killed = false) => record('web.1', { kind: 'stop', value: { ms, killed, graceMs: 30_000 } });

const table: [string, EvidenceRecord[], string, CheckStatus, string | null][] = [
  ['nothing measured', [], 'VII.binds-port', 'unknown', null],
  ['wildcard v4', [listen(['0.0.0.0:4000'])], 'VII.binds-port', 'pass', 'web.1 listens on 0.0.0.0:4000, accepted after 120 ms'],
  ['wildcard v6', [listen(['[::]:4000'])], 'VII.binds-port', 'pass', null],
  ['loopback only', [listen(['127.0.0.1:4000'], null)], 'VII.binds-port', 'fail', 'web.1 listens on 127.0.0.1:4000 only, not on every interface (never accepted)'],
  ['v6 loopback only', [listen(['[::1]:4000'])], 'VII.binds-port', 'fail', null],
  ['one address', [listen(['10.0.0.2:4000'])], 'VII.binds-port', 'warn', null],
  ['not listening', [listen([], null)], 'VII.binds-port', 'fail', 'web.1 did not listen on PORT 4000 (never accepted)'],
  ['fast boot', [boot(800)], 'IX.boot-time', 'pass', 'web.1 up 800 ms after spawn'],
  ['slow boot', [boot(12_034)], 'IX.boot-time', 'warn', 'web.1 up 12 034 ms after spawn'],
  ['failed boot', [boot(60_000, false)], 'IX.boot-time', 'fail', null],
  ['no stop yet', [boot(800)], 'IX.graceful-stop', 'unknown', null],
  ['quick stop', [stop(40)], 'IX.graceful-stop', 'pass', 'web.1 exited 40 ms after SIGTERM'],
  ['slow stop', [stop(12_000)], 'IX.graceful-stop', 'warn', null],
  ['killed', [stop(12_034, true)], 'IX.graceful-stop', 'fail', 'web.1 exited 12 034 ms after SIGTERM (killed after the 30 000 ms grace period)'],
  ['no sample', [], 'XI.logs-to-stdout', 'unknown', null],
  ['no log file', [sampled()], 'XI.logs-to-stdout', 'pass', 'web.1 had no *.log file open (3 samples)'],
  ['log file', [sampled(['/tmp/app.log'])], 'XI.logs-to-stdout', 'fail', 'web.1 writes /tmp/app.log'],
  ['foreground', [sampled()], 'VIII.no-daemonizing', 'pass', null],
  ['daemonized', [record('worker.1', { kind: 'daemonized', value: { code: 0, leftovers: 1 } })], 'VIII.no-daemonizing', 'fail', 'worker.1 main process exited 0 while 1 process(es) it started still ran'],
  ['no refused write', [sampled()], 'VI.writes-outside-tmp', 'unknown', null],
  ['refused write', [record('web.1', { kind: 'write-refused', value: { paths: ['/app/data.json'] } })], 'VI.writes-outside-tmp', 'fail', 'web.1 write refused on /app/data.json (read-only: EROFS)'],
];

describe('runtimeChecks', () => {
  it.each(table)('%s: %s is %s', (_name, evidence, id, status, line) => {
    const check = runtimeChecks(evidence).find((c) => c.id === id);
    expect(check?.status).toBe(status);
    if (line !== null) expect(check?.evidence).toContain(line);
    if (status === 'fail' || status === 'warn') expect(check?.hint).toMatch(/12factor\.net\//);
    if (status === 'pass') expect(check?.hint).toBe('');
  });

  it('grades a release by its worst process', () => {
    const checks = runtimeChecks([listen(['0.0.0.0:4000']), { ...listen(['127.0.0.1:4001']), process: 'web.2' }]);
    expect(checks.find((c) => c.id === 'VII.binds-port')?.status).toBe('fail');
  });

  it('names every check by factor', () => {
    expect(runtimeChecks([]).map((c) => c.id)).toEqual(['VI.writes-outside-tmp', 'VII.binds-port', 'VIII.no-daemonizing', 'IX.boot-time', 'IX.graceful-stop', 'XI.logs-to-stdout']);
    expect(formatMs(1_234_567)).toBe('1 234 567');
  });
});
