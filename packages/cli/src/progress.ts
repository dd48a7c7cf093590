const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A one-line spinner on stderr while nothing else is printed, so a quiet build still shows it is
 * alive. Draws only on a terminal; output written through `write` clears it first.
 */
export class Progress {
  private timer: NodeJS.Timeout | null = null;
  private frame = 0;
  private label = '';
  private started = Date.now();
  private drawn = false;
  private readonly enabled = Boolean(process.stderr.isTTY);

  start(label: string): void {
    this.label = label;
    this.started = Date.now();
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => this.draw(), 100);
  }

  write(text: string): void {
    this.clear();
    process.stdout.write(text);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clear();
  }

  private draw(): void {
    const seconds = Math.floor((Date.now() - this.started) / 1000);
    process.stderr.write(`\r${FRAMES[this.frame++ % FRAMES.length]} ${this.label} ${seconds}s\x1b[K`);
    this.drawn = true;
  }

  private clear(): void {
    if (!this.drawn) return;
    process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
