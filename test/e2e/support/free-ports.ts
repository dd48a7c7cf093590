import { createServer } from 'node:net';

/** Whether `port` can be bound on every interface (as the apps bind it) right now. */
async function canBind(port: number): Promise<boolean> {
  const server = createServer();
  const bound = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '::', () => resolve(true));
  });
  if (bound) await new Promise((resolve) => server.close(resolve));
  return bound;
}

/**
 * A base port whose neighbours at `offsets` are free too (`dozen dev` gives its other processes
 * +1 per instance, +100 per type). Below the kernel's ephemeral range (32768-60999), where the other e2e files' listeners
 * and connections take theirs: a free base with a taken base + 1 failed a full run once.
 */
export async function freePortRange(offsets: readonly number[]): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 10_000);
    let free = true;
    for (const offset of offsets) if (!(await canBind(base + offset))) free = false;
    if (free) return base;
  }
}
