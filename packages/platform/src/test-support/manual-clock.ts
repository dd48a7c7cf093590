/** A clock whose timers fire when the test moves time on (the core's Clock port). */
export class ManualClock {
  time: number;
  private timers: { at: number; fn: () => void }[] = [];

  constructor(start = '2026-01-01T00:00:00Z') {
    this.time = new Date(start).getTime();
  }

  now = () => new Date(this.time);

  after = (ms: number, fn: () => void) => {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  };

  /** Moves time on by `ms`, firing each timer due on the way (and letting its promises settle). */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
      await settle();
    }
    this.time = end;
  }
}

/** Lets pending promise chains (a store on SQLite included) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
