/**
 * The pushes of one app go through the pre-receive step one at a time, and each keeps its turn
 * until git has finished with it (the refs are updated or not): the next push then sees the refs
 * as they really are. Pushes to different apps do not wait for each other.
 */
export class PushLine {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the turn of `key`, which lasts until `until` settles; `busy` says whether it had to wait. */
  enter(key: string, until: Promise<void>): { busy: boolean; turn: Promise<void> } {
    const previous = this.tails.get(key);
    const turn = previous ?? Promise.resolve();
    const tail = turn.then(() => until).catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return { busy: previous !== undefined, turn };
  }
}
