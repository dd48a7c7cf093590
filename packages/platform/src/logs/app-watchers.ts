/** Who waits for new lines of which app (the tails of a log history). */
export class AppWatchers {
  private readonly watchers = new Map<string, Set<() => void>>();

  /** Calls `wake` whenever `wakeApp(app)` is, until the returned function is called. */
  watch(app: string, wake: () => void): () => void {
    let set = this.watchers.get(app);
    if (!set) this.watchers.set(app, (set = new Set()));
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.watchers.get(app) === set) this.watchers.delete(app);
    };
  }

  wakeApp(app: string): void {
    for (const wake of this.watchers.get(app) ?? []) wake();
  }
}
