const NEWLINE = 0x0a;

/**
 * Turns a byte stream into lines. Splits on `\n` (dropping a `\r` before it), decodes each line
 * as UTF-8 with replacement characters, and cuts a line that grows past `maxLineBytes` without a
 * newline, so that a process printing without newlines cannot grow memory without bound.
 */
export class LineSplitter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes = 10_000,
  ) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) break;
      this.append(chunk.subarray(start, newline));
      this.flush();
      start = newline + 1;
    }
    if (start < chunk.length) this.append(chunk.subarray(start));
  }

  /** Emits what is left (a last line without a newline). */
  end(): void {
    if (this.pendingBytes > 0) this.flush();
  }

  private append(bytes: Uint8Array): void {
    let rest = bytes;
    while (this.pendingBytes + rest.length > this.maxLineBytes) {
      const room = this.maxLineBytes - this.pendingBytes;
      this.pending.push(rest.subarray(0, room));
      this.pendingBytes += room;
      this.flush();
      rest = rest.subarray(room);
    }
    if (rest.length > 0) {
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
  }

  private flush(): void {
    const bytes = this.pending.length === 1 ? (this.pending[0] as Uint8Array) : concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    let line = this.decoder.decode(bytes);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.onLine(line);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
