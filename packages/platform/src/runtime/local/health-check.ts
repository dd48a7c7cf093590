import { request } from 'node:http';
import type { HealthCheck } from '../../core/model.js';

/**
 * Runs app.json `healthchecks` (Dokku's shape) against a process that accepts on `at`: each
 * check waits `initialDelaySeconds`, then tries `attempts` times, `waitSeconds` apart, each try
 * answered within `timeoutSeconds` with a 2xx or 3xx. Resolves to null when all pass, else to
 * why the first one failed.
 */
export async function runHealthChecks(at: { host: string; port: number }, checks: readonly HealthCheck[], signal: AbortSignal, log: (line: string) => void): Promise<string | null> {
  for (const check of checks) {
    await sleep(check.initialDelaySeconds * 1000, signal);
    let last = '';
    let passed = false;
    for (let attempt = 1; attempt <= check.attempts && !signal.aborted; attempt++) {
      last = await probe(at, check.path, check.timeoutSeconds * 1000);
      if (last === 'ok') {
        passed = true;
        break;
      }
      log(`Health check ${check.name} (GET ${check.path}) attempt ${attempt} of ${check.attempts}: ${last}`);
      if (attempt < check.attempts) await sleep(check.waitSeconds * 1000, signal);
    }
    if (signal.aborted) return 'stopped while its health checks ran';
    if (!passed) return `failed its health check ${check.name}: GET ${check.path} ${last} (${check.attempts} attempts)`;
    log(`Health check ${check.name} (GET ${check.path}) passed`);
  }
  return null;
}

/** 'ok', or what went wrong in the words a deploy prints. */
function probe(at: { host: string; port: number }, path: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: at.host, port: at.port, path, method: 'GET', agent: false, headers: { 'user-agent': 'dozen-health-check' } }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? 'ok' : `answered ${status}`);
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(`did not answer within ${timeoutMs / 1000} s`);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`failed: ${error.code ?? error.message}`));
    req.end();
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** The longest the checks can take: part of the deadline a rollout waits for. */
export function healthCheckBudgetMs(checks: readonly HealthCheck[]): number {
  return checks.reduce((sum, c) => sum + (c.initialDelaySeconds + c.attempts * c.timeoutSeconds + Math.max(0, c.attempts - 1) * c.waitSeconds) * 1000, 0);
}
