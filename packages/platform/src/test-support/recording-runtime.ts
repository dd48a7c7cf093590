import type { ProcessStatus } from '../core/model.js';
import type { OneOff, OneOffRequest, Runtime, RunTarget } from '../core/ports/runtime.js';

/**
 * A Runtime that records what reaches it (the relay's and the api link's tests): rollouts never
 * end (their abandon signals are kept), one-offs echo their stdin, `list` answers after `listMs`.
 */
export class Recorder implements Runtime {
  seen: string[] = [];
  listMs = 0;
  signals = new Map<number, AbortSignal>();
  converge(app: string, target: RunTarget | null): void {
    this.seen.push(`converge ${app} ${target?.slugId ?? null}`);
  }
  rollout(target: RunTarget, _progress: (line: string) => void, abandoned?: AbortSignal): Promise<void> {
    this.seen.push(`rollout ${target.slugId}`);
    if (abandoned) this.signals.set(target.release, abandoned);
    return new Promise(() => undefined);
  }
  async list(app: string): Promise<ProcessStatus[]> {
    this.seen.push(`list ${app}`);
    await new Promise((resolve) => setTimeout(resolve, this.listMs));
    return [];
  }
  async observe() {
    return { processes: [], generations: {} };
  }
  async restart(): Promise<void> {}
  async stop(): Promise<void> {}
  async remove(): Promise<void> {}
  runOneOff(target: RunTarget, request: OneOffRequest): OneOff {
    this.seen.push(`one-off ${target.slugId}`);
    let done: (exit: { code: number | null; signal: string | null }) => void = () => undefined;
    return {
      name: request.name ?? 'run.1',
      writeStdin: (chunk) => request.onStdout(chunk),
      endStdin: () => done({ code: 0, signal: null }),
      kill: () => done({ code: null, signal: 'SIGKILL' }),
      resize: () => undefined,
      pauseOutput: () => undefined,
      resumeOutput: () => undefined,
      exit: new Promise((resolve) => (done = resolve)),
    };
  }
  async shutdown(): Promise<void> {}
}
