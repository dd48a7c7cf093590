import { describe, expect, it } from 'vitest';
import { MemoryRouteTable } from './route-table.js';

describe('MemoryRouteTable', () => {
  it('tells a missing app from an app without processes, and rotates over endpoints', () => {
    const table = new MemoryRouteTable();
    expect(table.lookup('a')).toEqual({ kind: 'no-app' });
    table.declareApp('a');
    expect(table.lookup('a')).toEqual({ kind: 'no-process' });
    table.addEndpoint('a', { id: '1', process: 'web.1', port: 1001 });
    table.addEndpoint('a', { id: '2', process: 'web.2', port: 1002 });
    const ports = [1, 2, 3, 4].map(() => {
      const found = table.lookup('a');
      return found.kind === 'endpoint' ? found.endpoint.port : 0;
    });
    expect(new Set(ports)).toEqual(new Set([1001, 1002]));
    const other = table.lookup('a', '1');
    expect(other.kind === 'endpoint' && other.endpoint.id).toBe('2');
  });

  it('drains: out of rotation at once, resolved when the last request in flight ends', async () => {
    const table = new MemoryRouteTable();
    table.addEndpoint('a', { id: '1', process: 'web.1', port: 1001 });
    const found = table.lookup('a');
    if (found.kind !== 'endpoint') throw new Error('no endpoint');
    const finishFirst = table.begin(found.endpoint);
    const finishSecond = table.begin(found.endpoint);
    let drained = false;
    const draining = table.drain('a', '1', 10_000).then(() => (drained = true));
    expect(table.lookup('a')).toEqual({ kind: 'no-process' });
    finishFirst();
    finishFirst();
    await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(false);
    finishSecond();
    await draining;
    expect(drained).toBe(true);
  });

  it('stops waiting for a drain after the timeout, and does not wait for an idle endpoint', async () => {
    const table = new MemoryRouteTable();
    table.addEndpoint('a', { id: '1', process: 'web.1', port: 1001 });
    table.addEndpoint('a', { id: '2', process: 'web.2', port: 1002 });
    const found = table.lookup('a', '2');
    if (found.kind !== 'endpoint') throw new Error('no endpoint');
    table.begin(found.endpoint);
    const started = Date.now();
    await table.drain('a', '1', 50);
    await table.drain('a', '2', 50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
