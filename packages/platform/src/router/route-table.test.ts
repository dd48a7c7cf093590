import { describe, expect, it, vi } from 'vitest';
import { HostTable, normalizeHost } from './host-table.js';
import { finish, MemoryRouteTable, type LiveEndpoint } from './route-table.js';

const picked = (table: MemoryRouteTable, app: string, exclude?: LiveEndpoint) => {
  const result = table.pick(app, exclude);
  return typeof result === 'string' ? result : result.id;
};

describe('MemoryRouteTable', () => {
  it('tells a missing app from one without processes and from one whose processes crashed', () => {
    const table = new MemoryRouteTable();
    expect(picked(table, 'a')).toBe('no-app');
    table.declareApp('a');
    expect(picked(table, 'a')).toBe('no-process');
    table.addEndpoint('a', { id: '1', process: 'web.1', port: 1001 });
    table.removeEndpoint('a', '1');
    expect(picked(table, 'a')).toBe('crashed');
    table.addEndpoint('a', { id: '2', process: 'web.1', port: 1002 });
    expect(picked(table, 'a')).toBe('2');
    void table.drain('a', '2', 10);
    expect(picked(table, 'a')).toBe('no-process');
  });

  it('picks the endpoint with the fewest requests in flight, round-robin among equals', () => {
    const table = new MemoryRouteTable();
    for (const id of ['1', '2', '3']) table.addEndpoint('a', { id, process: `web.${id}`, port: 1000 + Number(id) });
    expect(new Set([1, 2, 3, 4, 5, 6].map(() => picked(table, 'a')))).toEqual(new Set(['1', '2', '3']));
    const [one, two] = table.endpoints('a') as LiveEndpoint[];
    table.begin(one as LiveEndpoint);
    table.begin(one as LiveEndpoint);
    table.begin(two as LiveEndpoint);
    for (let i = 0; i < 5; i++) expect(picked(table, 'a')).toBe('3');
    expect(picked(table, 'a', table.endpoints('a')[2])).toBe('2');
  });

  it('drains: out of rotation at once, resolved when the last request in flight ends', async () => {
    const table = new MemoryRouteTable();
    table.addEndpoint('a', { id: '1', process: 'web.1', port: 1001 });
    const endpoint = table.endpoints('a')[0] as LiveEndpoint;
    const finishFirst = table.begin(endpoint);
    table.begin(endpoint);
    let drained = false;
    const draining = table.drain('a', '1', 10_000).then(() => (drained = true));
    expect(picked(table, 'a')).toBe('no-process');
    expect(endpoint.removed).toBe(true);
    finishFirst();
    finishFirst();
    await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(false);
    finish(endpoint);
    await draining;
    expect(drained).toBe(true);
  });

  it('stops waiting for a drain after the timeout, and does not wait for an idle endpoint', async () => {
    // Fake timers: what is checked is which clock event ends each drain, not how fast this machine is.
    vi.useFakeTimers();
    try {
      const table = new MemoryRouteTable();
      table.addEndpoint('a', { id: '1', process: 'web.1', port: 1001 });
      table.addEndpoint('a', { id: '2', process: 'web.2', port: 1002 });
      table.begin(table.endpoints('a')[1] as LiveEndpoint);
      const ended: string[] = [];
      void table.drain('a', '1', 50).then(() => ended.push('idle'));
      void table.drain('a', '2', 50).then(() => ended.push('busy'));
      await vi.advanceTimersByTimeAsync(0);
      expect(ended).toEqual(['idle']);
      await vi.advanceTimersByTimeAsync(49);
      expect(ended).toEqual(['idle']);
      await vi.advanceTimersByTimeAsync(1);
      expect(ended).toEqual(['idle', 'busy']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('HostTable', () => {
  it('routes <app>.<domain>, exact custom domains and one-label wildcards; case, port and a trailing dot do not matter', () => {
    const hosts = new HostTable('apps.example.com');
    hosts.setDomains('shop', ['www.shop.test', '*.shop.test']);
    hosts.setDomains('blog', ['blog.test']);
    expect(hosts.resolve('hello.apps.example.com')).toBe('hello');
    expect(hosts.resolve('HELLO.Apps.Example.COM.:8080')).toBe('hello');
    expect(hosts.resolve('www.shop.test')).toBe('shop');
    expect(hosts.resolve('eu.shop.test')).toBe('shop');
    expect(hosts.resolve('a.b.shop.test')).toBe('');
    expect(hosts.resolve('shop.test')).toBe('');
    expect(hosts.resolve('blog.test:443')).toBe('blog');
    expect(hosts.resolve('a.b.apps.example.com')).toBe('');
    expect(hosts.resolve('apps.example.com')).toBe('');
    expect(hosts.resolve('[::1]:80')).toBe('');
    hosts.setDomains('shop', ['www.shop.test']);
    expect(hosts.resolve('eu.shop.test')).toBe('');
    hosts.setDomains('shop', []);
    expect(hosts.resolve('www.shop.test')).toBe('');
  });

  it('normalises a Host value', () => {
    expect(normalizeHost('A.B.:5000')).toBe('a.b');
    expect(normalizeHost('a.b:port')).toBe('');
    expect(normalizeHost('[::1]')).toBe('[::1]');
  });
});
