/** foreman's output: each line of a process after `web.1 | `, the names padded to one width, coloured per process on a terminal. */

const COLOURS = [36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94, 91];

export function prefixOf(name: string, width: number, index: number, colour: boolean): string {
  const label = `${name.padEnd(width)} |`;
  return colour ? `\u001b[${COLOURS[index % COLOURS.length]}m${label}\u001b[0m ` : `${label} `;
}

/** Splits a stream into lines; `write` gets each whole line with the prefix, `flush` what is left at the end. */
export function lineWriter(prefix: string, write: (text: string) => void): { push(chunk: string): void; flush(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) write(`${prefix}${line.replace(/\r$/, '')}\n`);
    },
    flush() {
      if (pending !== '') write(`${prefix}${pending}\n`);
      pending = '';
    },
  };
}

/** The width of the names column: the longest process name, at least `dozen`'s own. */
export function nameWidth(names: readonly string[]): number {
  return Math.max(6, ...names.map((n) => n.length));
}
