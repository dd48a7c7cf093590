import type { BuildOutputs, OutputWriter } from '../core/ports/build.js';

const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
const KEEP_FINISHED = 32;

interface Output {
  chunks: string[];
  bytes: number;
  truncated: boolean;
  closed: boolean;
  wake: Set<() => void>;
}

/**
 * Live build output: one writer, any number of followers who each get everything from the first
 * line. Bounded per build; the last few finished outputs stay in memory so that a follower who
 * arrives just after the end still reads them.
 */
export class BuildOutputHub implements BuildOutputs {
  private readonly outputs = new Map<string, Output>();
  private readonly finished: string[] = [];

  open(buildId: string): OutputWriter & { close(): string } {
    const output: Output = { chunks: [], bytes: 0, truncated: false, closed: false, wake: new Set() };
    this.outputs.set(buildId, output);
    const wake = () => {
      for (const fn of output.wake) fn();
      output.wake.clear();
    };
    return {
      line: (text: string) => {
        if (output.closed) return;
        const chunk = text.endsWith('\n') ? text : `${text}\n`;
        if (output.bytes + chunk.length > MAX_OUTPUT_BYTES) {
          if (!output.truncated) output.chunks.push('[output truncated: over 16 MiB]\n');
          output.truncated = true;
        } else {
          output.chunks.push(chunk);
          output.bytes += chunk.length;
        }
        wake();
      },
      close: () => {
        output.closed = true;
        wake();
        this.finished.push(buildId);
        while (this.finished.length > KEEP_FINISHED) this.outputs.delete(this.finished.shift() as string);
        return output.chunks.join('');
      },
    };
  }

  follow(buildId: string): AsyncIterable<string> | undefined {
    const output = this.outputs.get(buildId);
    if (!output) return undefined;
    return (async function* () {
      let next = 0;
      for (;;) {
        while (next < output.chunks.length) yield output.chunks[next++] as string;
        if (output.closed) return;
        await new Promise<void>((resolve) => output.wake.add(resolve));
      }
    })();
  }
}
