import { describe, expect, it } from 'vitest';
import { BuildQueue } from './build-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('BuildQueue', () => {
  it('runs one build per app at a time, in order, and at most `concurrency` overall', async () => {
    const queue = new BuildQueue(2);
    let running = 0;
    let peak = 0;
    const order: string[] = [];
    const waits: string[] = [];
    const job = (name: string) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      order.push(`start ${name}`);
      await tick();
      order.push(`end ${name}`);
      running -= 1;
      return name;
    };
    const results = await Promise.all([
      queue.run('a', job('a1'), (why) => waits.push(`a1: ${why}`)),
      queue.run('a', job('a2'), (why) => waits.push(`a2: ${why}`)),
      queue.run('b', job('b1')),
      queue.run('c', job('c1'), (why) => waits.push(`c1: ${why}`)),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1', 'c1']);
    expect(peak).toBe(2);
    expect(order.indexOf('end a1')).toBeLessThan(order.indexOf('start a2'));
    expect(waits).toContain('a2: another build of this app is running');
    expect(waits.some((w) => w.startsWith('c1: 2 builds are running'))).toBe(true);
  });

  it('goes on after a failed build', async () => {
    const queue = new BuildQueue(1);
    await expect(queue.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run('a', async () => 'next')).toBe('next');
  });
});
