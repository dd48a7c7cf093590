import type { CheckResult, CheckStatus, Factor } from './check.js';
import type { Evidence, EvidenceRecord } from './evidence.js';

/** Under this a boot or a stop passes (the issue's threshold). */
export const FAST_MS = 10_000;

type Of<K extends Evidence['kind']> = EvidenceRecord & Extract<Evidence, { kind: K }>;

const FACTOR_URL: Record<Factor, string> = {
  I: 'codebase', II: 'dependencies', III: 'config', IV: 'backing-services', V: 'build-release-run', VI: 'processes',
  VII: 'port-binding', VIII: 'concurrency', IX: 'disposability', X: 'dev-prod-parity', XI: 'logs', XII: 'admin-processes',
};

/**
 * The runtime checks of one release, from what its processes did (the records of that release).
 * Pure: the same evidence always grades the same. A check with nothing to judge is `unknown`.
 */
export function runtimeChecks(evidence: readonly EvidenceRecord[]): CheckResult[] {
  const of = <K extends Evidence['kind']>(kind: K) => evidence.filter((e): e is Of<K> => e.kind === kind).sort(byProcess);
  return [
    writesOutsideTmp(of('write-refused')),
    bindsPort(of('listen')),
    noDaemonizing(of('daemonized'), of('log-files')),
    bootTime(of('boot')),
    gracefulStop(of('stop')),
    logsToStdout(of('log-files')),
  ];
}

function writesOutsideTmp(refused: Of<'write-refused'>[]): CheckResult {
  const seen = refused.filter((e) => e.value.paths.length > 0);
  if (seen.length > 0) {
    return result('VI.writes-outside-tmp', 'fail', seen.flatMap((e) => e.value.paths.map((path) => `${e.process} write refused on ${path} (read-only: EROFS)`)),
      'Write scratch files under /tmp only (it is private to the process and gone at its end); keep state in a backing service.');
  }
  return result('VI.writes-outside-tmp', 'unknown', ['no refused write was reported; the sandbox cannot see a refused write that the app does not print'],
    'Nothing to fix unless the app writes outside /tmp: the slug is read-only, so such a write fails with EROFS.');
}

function bindsPort(listens: Of<'listen'>[]): CheckResult {
  if (listens.length === 0) return result('VII.binds-port', 'unknown', ['no web process was measured'], '');
  const lines: string[] = [];
  let status: CheckStatus = 'pass';
  for (const e of listens) {
    const { port, addresses, acceptMs } = e.value;
    const wildcard = addresses.some(isWildcard);
    const loopbackOnly = addresses.length > 0 && addresses.every(isLoopback);
    const after = acceptMs === null ? 'never accepted' : `accepted after ${formatMs(acceptMs)} ms`;
    if (loopbackOnly) lines.push(`${e.process} listens on ${addresses.join(', ')} only, not on every interface (${after})`);
    else if (addresses.length === 0) lines.push(`${e.process} did not listen on PORT ${port} (${after})`);
    else lines.push(`${e.process} listens on ${addresses.join(', ')}, ${after}`);
    const own: CheckStatus = loopbackOnly || acceptMs === null ? 'fail' : wildcard ? 'pass' : 'warn';
    status = worst(status, own);
  }
  return result('VII.binds-port', status, lines, status === 'pass' ? '' : 'Listen on $PORT on all interfaces (0.0.0.0 or ::), e.g. `server.listen(process.env.PORT)` without a host.');
}

function noDaemonizing(daemonized: Of<'daemonized'>[], sampled: Of<'log-files'>[]): CheckResult {
  if (daemonized.length > 0) {
    return result('VIII.no-daemonizing', 'fail', daemonized.map((e) => `${e.process} main process exited ${e.value.code} while ${e.value.leftovers} process(es) it started still ran`),
      'Run the server in the foreground (no `&`, no `daemon: true`, no fork-and-exit): the platform supervises the process.');
  }
  if (sampled.length === 0) return result('VIII.no-daemonizing', 'unknown', ['no process was sampled after it came up'], '');
  return result('VIII.no-daemonizing', 'pass', sampled.map((e) => `${e.process} kept its main process in the foreground`), '');
}

function bootTime(boots: Of<'boot'>[]): CheckResult {
  if (boots.length === 0) return result('IX.boot-time', 'unknown', ['no process was measured booting'], '');
  let status: CheckStatus = 'pass';
  const lines = boots.map((e) => {
    status = worst(status, !e.value.ready ? 'fail' : e.value.ms >= FAST_MS ? 'warn' : 'pass');
    return e.value.ready ? `${e.process} up ${formatMs(e.value.ms)} ms after spawn` : `${e.process} not up ${formatMs(e.value.ms)} ms after spawn (boot failed)`;
  });
  return result('IX.boot-time', status, lines, status === 'pass' ? '' : 'Start fast (under 10 s): do slow work (migrations, caches) in the release phase or lazily.');
}

function gracefulStop(stops: Of<'stop'>[]): CheckResult {
  if (stops.length === 0) return result('IX.graceful-stop', 'unknown', ['no process of this release has been stopped yet (measured at every rollout, restart and scale-down)'], '');
  let status: CheckStatus = 'pass';
  const lines = stops.map((e) => {
    const { ms, killed } = e.value;
    status = worst(status, killed ? 'fail' : ms >= FAST_MS ? 'warn' : 'pass');
    return `${e.process} exited ${formatMs(ms)} ms after SIGTERM${killed ? ` (killed after the ${formatMs(e.value.graceMs)} ms grace period)` : ''}`;
  });
  return result('IX.graceful-stop', status, lines, status === 'pass' ? '' : 'Handle SIGTERM: stop accepting work, finish what is in flight and exit within seconds.');
}

function logsToStdout(samples: Of<'log-files'>[]): CheckResult {
  if (samples.length === 0) return result('XI.logs-to-stdout', 'unknown', ['no process was sampled after it came up'], '');
  const files = samples.filter((e) => e.value.paths.length > 0);
  if (files.length === 0) return result('XI.logs-to-stdout', 'pass', samples.map((e) => `${e.process} had no *.log file open (${e.value.samples} samples)`), '');
  return result('XI.logs-to-stdout', 'fail', files.flatMap((e) => e.value.paths.map((path) => `${e.process} writes ${path}`)),
    'Write logs to stdout/stderr (console.log), not to files: the platform collects the streams.');
}

function result(id: string, status: CheckStatus, evidence: string[], hint: string): CheckResult {
  const factor = id.split('.')[0] as Factor;
  const fix = hint === '' || status === 'pass' ? '' : `${hint} See https://12factor.net/${FACTOR_URL[factor]}`;
  return { id, factor, title: TITLES[id] ?? id, status, evidence, hint: fix };
}

const TITLES: Record<string, string> = {
  'VI.writes-outside-tmp': 'No writes outside /tmp at run time',
  'VII.binds-port': 'Binds $PORT on all interfaces',
  'VIII.no-daemonizing': 'No self-daemonizing',
  'IX.boot-time': 'Boots fast',
  'IX.graceful-stop': 'Stops gracefully on SIGTERM',
  'XI.logs-to-stdout': 'Logs to stdout, not to files',
};

const RANK: Record<CheckStatus, number> = { unknown: 0, pass: 1, warn: 2, fail: 3 };
function worst(a: CheckStatus, b: CheckStatus): CheckStatus {
  return RANK[b] > RANK[a] ? b : a;
}

function isWildcard(address: string): boolean {
  return address.startsWith('0.0.0.0:') || address.startsWith('[::]:');
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address.startsWith('[::1]:');
}

/** 12034 -> `12 034` (the issue's spelling). */
export function formatMs(ms: number): string {
  return String(Math.round(ms)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function byProcess(a: EvidenceRecord, b: EvidenceRecord): number {
  return a.process.localeCompare(b.process, 'en', { numeric: true });
}
