import { describe, expect, it } from 'vitest';
import { retryPrepare } from './prepare-retry.js';

describe('retryPrepare', () => {
  it('tries again with doubling waits until prepare succeeds', async () => {
    const at: number[] = [];
    const start = Date.now();
    let failures = 2;
    const ok = await retryPrepare({
      prepare: async () => {
        at.push(Date.now() - start);
        if (failures-- > 0) throw new Error('api away');
      },
      wanted: () => true,
      signal: new AbortController().signal,
      firstMs: 40,
    });
    expect(ok).toBe(true);
    expect(at).toHaveLength(3);
    expect(at[0]).toBeGreaterThanOrEqual(35);
    expect((at[1] as number) - (at[0] as number)).toBeGreaterThanOrEqual(75);
    expect((at[2] as number) - (at[1] as number)).toBeGreaterThanOrEqual(155);
  });

  it('gives up when the target is superseded or the signal aborts', async () => {
    let wanted = true;
    let tries = 0;
    const superseded = retryPrepare({ prepare: async () => void (tries += 1, (wanted = false)), wanted: () => wanted, signal: new AbortController().signal, firstMs: 10 });
    expect(await superseded).toBe(false);
    expect(tries).toBe(1);
    const stop = new AbortController();
    const aborted = retryPrepare({ prepare: () => Promise.reject(new Error('api away')), wanted: () => true, signal: stop.signal, firstMs: 10, maxMs: 10 });
    setTimeout(() => stop.abort(), 60);
    expect(await aborted).toBe(false);
  });
});
