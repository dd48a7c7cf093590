import { describe, expect, it } from 'vitest';
import { chainName, ownsName, parseRange, slotCount, slotOf } from './address-plan.js';
import { firewallRules } from './firewall-rules.js';

describe('app network addressing', () => {
  const range = parseRange('10.213.0.0/16')!;

  it('cuts the range into /30 slots, slot 0 unused, named after their addresses', () => {
    expect(slotCount(range)).toBe(16_383);
    expect(slotOf(range, 1)).toEqual({ index: 1, hostAddress: '10.213.0.5', appAddress: '10.213.0.6', name: 'dz0ad50004' });
    expect(slotOf(range, 16_383)).toEqual({ index: 16_383, hostAddress: '10.213.255.253', appAddress: '10.213.255.254', name: 'dz0ad5fffc' });
    expect(() => slotOf(range, 0)).toThrow(RangeError);
    expect(() => slotOf(range, 16_384)).toThrow(RangeError);
    expect(chainName(range, 'FWD')).toBe('DZ0ad50000-FWD');
  });

  it('recognises its own names only', () => {
    expect(ownsName(range, 'dz0ad50004')).toBe(true);
    expect(ownsName(range, 'dz0ad50000')).toBe(false);
    expect(ownsName(range, 'dz0ad60004')).toBe(false);
    expect(ownsName(range, 'dz0ad50005')).toBe(false);
    expect(ownsName(range, 'eth0')).toBe(false);
    expect(ownsName(parseRange('10.213.240.0/24')!, 'dz0ad50004')).toBe(false);
  });

  it('refuses ranges that are not a usable IPv4 network', () => {
    for (const bad of ['10.213.0.1/16', '10.213.0.0/30', '10.213.0.0/8', '300.1.0.0/16', '10.213.0.0', 'fd00::/64', '10.213.0.0/16; reboot']) expect(parseRange(bad), bad).toBeNull();
    expect(parseRange(' 192.168.64.0/20 ')).toEqual({ base: 0xc0a84000, prefix: 20, cidr: '192.168.64.0/20' });
  });

  it('translates only an app\'s own gateway ports, on its own link, and never lets the range in', () => {
    const rules = firewallRules(range, [{ slot: slotOf(range, 1), loopbackPorts: [5432] }, { slot: slotOf(range, 2), loopbackPorts: [] }], { host: '127.0.0.1', port: 5000 });
    const dnat = rules.split('\n').filter((line) => line.includes('DNAT --to'));
    expect(dnat).toEqual([
      '-A DZ0ad50000-PRE -i dz0ad50004 -s 10.213.0.6/32 -d 10.213.0.5/32 -p tcp -m tcp --dport 5432 -j DNAT --to-destination 127.0.0.1:5432',
      '-A DZ0ad50000-PRE -i dz0ad50004 -s 10.213.0.6/32 -d 10.213.0.5/32 -p tcp -m tcp --dport 5000 -j DNAT --to-destination 127.0.0.1:5000',
      '-A DZ0ad50000-PRE -i dz0ad50008 -s 10.213.0.10/32 -d 10.213.0.9/32 -p tcp -m tcp --dport 5000 -j DNAT --to-destination 127.0.0.1:5000',
    ]);
    expect(rules.split('\n').filter((line) => line.includes('SNAT'))).toEqual(['-A DZ0ad50000-LOOP -d 127.0.0.1/32 -p tcp -m tcp --dport 5432 -j SNAT --to-source 127.0.0.1']);
    const forward = rules.split('\n').filter((line) => line.startsWith('-A DZ0ad50000-FWD'));
    expect(forward.findIndex((line) => line.includes('-d 10.213.0.0/16 -p tcp -j REJECT'))).toBeLessThan(forward.findIndex((line) => line.includes('-s 10.213.0.0/16 -j ACCEPT')));
  });
});
