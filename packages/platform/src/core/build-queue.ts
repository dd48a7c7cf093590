/**
 * The build queue: at most one build at a time per app (in the order they came) and at most
 * `concurrency` builds over all apps. In-process, like AppLocks.
 */
export class BuildQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly appTails = new Map<string, Promise<unknown>>();
  /** Builds not yet finished, by id: what `builds:cancel` reaches. */
  readonly active = new Map<string, RunningBuild>();

  constructor(private readonly concurrency: number) {}

  /** A build of the app is queued or running (until its pipeline, release included, ends). */
  busy(appId: string): boolean {
    return this.appTails.has(appId);
  }

  /** No build is queued or running. */
  get idle(): boolean {
    return this.appTails.size === 0;
  }

  /** Runs `task` when its turn comes; `onWait` is told (once) when it has to wait. */
  run<T>(appId: string, task: () => Promise<T>, onWait: (why: string) => void = () => undefined): Promise<T> {
    const previous = this.appTails.get(appId);
    if (previous) onWait('another build of this app is running');
    const result = (previous ?? Promise.resolve()).then(
      () => this.withSlot(task, onWait),
      () => this.withSlot(task, onWait),
    );
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.appTails.set(appId, tail);
    void tail.then(() => {
      if (this.appTails.get(appId) === tail) this.appTails.delete(appId);
    });
    return result;
  }

  private async withSlot<T>(task: () => Promise<T>, onWait: (why: string) => void): Promise<T> {
    if (this.running >= this.concurrency) {
      onWait(`${this.running} builds are running, the most at once`);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** A build that can still be cancelled: its abort switch and its live output. */
export interface RunningBuild {
  controller: AbortController;
  note(line: string): void;
}
