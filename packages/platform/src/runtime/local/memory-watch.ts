import type { ProcessLimits, SandboxedProcess } from '../../shared-ports/sandbox.js';

/** Heroku repeats R14 while a dyno stays over its quota; here at most this often. */
export const R14_EVERY_MS = 20_000;

/**
 * Samples what counts against `limits`' memory quota every `sampleMs` while `running` runs; over
 * the quota the log gets Heroku's two lines (`Process running mem=…`, `Error R14 …`), at most
 * every R14_EVERY_MS. Returns the stop. Nothing is sampled where limits are not enforced.
 */
export function watchMemory(running: SandboxedProcess, limits: ProcessLimits, sampleMs: number, notice: (line: string) => void): () => void {
  let lastWarned = 0;
  const timer = setInterval(() => {
    const used = running.memoryBytes();
    if (used === null || used <= limits.memoryQuotaBytes || Date.now() - lastWarned < R14_EVERY_MS) return;
    lastWarned = Date.now();
    notice(`Process running ${memoryFigure(used, limits)}`);
    notice(`Error R14 (Memory quota exceeded): over the ${megabytes(limits.memoryQuotaBytes)} quota of size ${limits.size}; killed at ${megabytes(limits.memoryLimitBytes)}`);
  }, sampleMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Heroku's `mem=620M(121.1%)`. */
export function memoryFigure(used: number, limits: ProcessLimits): string {
  return `mem=${megabytes(used)}(${((used / limits.memoryQuotaBytes) * 100).toFixed(1)}%)`;
}

/** The R15 line of a process the kernel killed at its hard limit. */
export function r15Line(name: string, limits: ProcessLimits): string {
  return `Error R15 (Memory quota vastly exceeded): ${name} reached ${megabytes(limits.memoryLimitBytes)}, twice the ${megabytes(limits.memoryQuotaBytes)} quota of size ${limits.size}, and was killed`;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)}M`;
}
