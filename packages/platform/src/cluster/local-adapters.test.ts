import { describe, expect, it } from 'vitest';
import { LocalLeases } from './local-leases.js';
import { LocalMembers } from './local-members.js';
import { LocalNotifier } from './local-notifier.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the in-process adapters of `dozen up`', () => {
  it('LocalNotifier delivers to every listener of the channel after the turn, until it stops listening', async () => {
    const notifier = new LocalNotifier();
    const got: string[] = [];
    const stop = await notifier.listen('dozen_logs', (p) => got.push(`one:${p}`));
    await notifier.listen('dozen_logs', (p) => got.push(`two:${p}`));
    await notifier.listen('other', (p) => got.push(`other:${p}`));
    await notifier.notify('dozen_logs', 'shop');
    expect(got).toEqual([]);
    await turn();
    expect(got).toEqual(['one:shop', 'two:shop']);
    await stop();
    await notifier.notify('dozen_logs', 'blog');
    await turn();
    expect(got).toEqual(['one:shop', 'two:shop', 'two:blog']);
  });

  it('LocalLeases acquires at once and loses only on stop; a stop before the start acquires nothing', async () => {
    const leases = new LocalLeases();
    const events: string[] = [];
    const lease = leases.hold('scheduler', { acquired: () => void events.push('acquired'), lost: () => void events.push('lost') });
    await turn();
    expect(events).toEqual(['acquired']);
    await lease.stop();
    await lease.stop();
    expect(events).toEqual(['acquired', 'lost']);
    const early = leases.hold('gc', { acquired: () => void events.push('gc acquired'), lost: () => void events.push('gc lost') });
    await early.stop();
    await turn();
    expect(events).toEqual(['acquired', 'lost']);
  });

  it('LocalMembers lists who joined, oldest first, by role, with advertised URLs', async () => {
    let t = 0;
    const members = new LocalMembers(() => new Date(Date.UTC(2026, 0, 1) + (t += 1000)));
    const api = await members.join({ role: 'api', host: 'h', url: null });
    const runtime = await members.join({ role: 'runtime', host: 'h', url: null });
    await members.advertise(runtime.id, 'ws://127.0.0.1:1');
    expect((await members.live()).map((m) => [m.id, m.url])).toEqual([[api.id, null], [runtime.id, 'ws://127.0.0.1:1']]);
    expect((await members.live('runtime')).map((m) => m.startedAt)).toEqual(['2026-01-01T00:00:02.000Z']);
  });
});
