import { describe, expect, it } from 'vitest';
import { SingleFlight } from './single-flight.js';

describe('SingleFlight', () => {
  it('shares a run under way for the same key, runs other keys apart, and runs again once it ended', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    const work = async () => ++runs;
    const [a, b, c] = await Promise.all([flights.run('k', work), flights.run('k', work), flights.run('other', work)]);
    expect([a, b, c]).toEqual([1, 1, 2]);
    expect(await flights.run('k', work)).toBe(3);
  });

  it('forgets a failed run, so that the next ask tries again', async () => {
    const flights = new SingleFlight<string>();
    await expect(flights.run('k', async () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect(await flights.run('k', async () => 'ok')).toBe('ok');
  });
});
