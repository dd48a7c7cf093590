import { readFileSync, readlinkSync } from 'node:fs';

/**
 * A server left running by a platform that was killed (SIGKILL skips our shutdown) still holds
 * its port and lock file. If the pid file names a live process working in `dir`, it is ours:
 * ask it to stop, and kill it if it does not.
 */
export async function stopOrphan(pidFile: string, dir: string, signal: NodeJS.Signals): Promise<void> {
  const pid = readPid(pidFile);
  if (pid === null || !worksIn(pid, dir)) return;
  signalPid(pid, signal);
  const deadline = Date.now() + 10_000;
  while (worksIn(pid, dir)) {
    if (Date.now() > deadline) {
      signalPid(pid, 'SIGKILL');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The live server the pid file names, working in `dir` (one an earlier platform started), or null. */
export function runningServer(pidFile: string, dir: string): number | null {
  const pid = readPid(pidFile);
  return pid !== null && worksIn(pid, dir) ? pid : null;
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]?.trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

export function worksIn(pid: number, dir: string): boolean {
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === dir;
  } catch {
    return false;
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone meanwhile
  }
}
