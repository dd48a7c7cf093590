/** A level-triggered wake-up: `fire` ends the current wait (or the next one, if none is waiting). */
export class Wakeup {
  private fired = false;
  private waiter: (() => void) | null = null;

  fire(): void {
    this.fired = true;
    this.waiter?.();
  }

  /** Resolves when fired (since the last wait), after `ms`, or when `signal` aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.fired || signal?.aborted) {
      this.fired = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiter = null;
        this.fired = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.waiter = done;
    });
  }
}
