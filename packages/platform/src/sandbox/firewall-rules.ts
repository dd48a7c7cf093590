import { chainName, type AppNetworkRange, type AppSlot } from './address-plan.js';

export interface AppReach {
  slot: AppSlot;
  /** Ports of the host's loopback the app may reach on its gateway (its attached add-on servers). */
  loopbackPorts: readonly number[];
}

/** Where the router listens, as the host reaches it (0.0.0.0 -> 127.0.0.1). */
export interface RouterAddress {
  host: string;
  port: number;
}

/**
 * The whole firewall of the app networks as `iptables-restore --noflush` input: declaring our
 * chains flushes them, so applying it is atomic and level-triggered (the rules follow from the
 * apps alone, whatever was there before).
 * - From an app to the host (INPUT): only connections the DNAT below translated, and replies.
 *   Everything else on the host (API, internal ports, services on any host address) is refused.
 * - Forwarded (FORWARD): an app reaches anything outside the range (egress, masqueraded); nothing
 *   forwarded may open a connection into the range, so apps cannot reach each other.
 * - Each app's gateway:port is translated to the host's loopback for the router's port and for
 *   its own add-on servers' ports only; only packets coming in on the app's own link match.
 *   Connections to add-on servers then come from 127.0.0.1 (Postgres accepts only loopback
 *   clients); the router sees the app's own address, like any client's.
 */
export function firewallRules(range: AppNetworkRange, apps: readonly AppReach[], router: RouterAddress | null): string {
  const [input, forward, pre, post, loop] = (['IN', 'FWD', 'PRE', 'POST', 'LOOP'] as const).map((hook) => chainName(range, hook));
  const net = range.cidr;
  const lines = [
    '*filter',
    `:${input} - [0:0]`,
    `:${forward} - [0:0]`,
    `-A ${input} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
    `-A ${input} -m conntrack --ctstate DNAT -j ACCEPT`,
    `-A ${input} -p tcp -j REJECT --reject-with tcp-reset`,
    `-A ${input} -j REJECT --reject-with icmp-port-unreachable`,
    `-A ${forward} -d ${net} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
    `-A ${forward} -d ${net} -p tcp -j REJECT --reject-with tcp-reset`,
    `-A ${forward} -d ${net} -j REJECT --reject-with icmp-port-unreachable`,
    `-A ${forward} -s ${net} -j ACCEPT`,
    'COMMIT',
    '*nat',
    `:${pre} - [0:0]`,
    `:${post} - [0:0]`,
    `:${loop} - [0:0]`,
  ];
  for (const app of apps) {
    const targets = app.loopbackPorts.map((port) => ({ host: '127.0.0.1', port }));
    if (router) targets.push(router);
    for (const target of targets) {
      lines.push(`-A ${pre} -i ${app.slot.name} -s ${app.slot.appAddress}/32 -d ${app.slot.hostAddress}/32 -p tcp -m tcp --dport ${target.port} -j DNAT --to-destination ${target.host}:${target.port}`);
    }
  }
  for (const port of [...new Set(apps.flatMap((app) => app.loopbackPorts))].sort((a, b) => a - b)) {
    lines.push(`-A ${loop} -d 127.0.0.1/32 -p tcp -m tcp --dport ${port} -j SNAT --to-source 127.0.0.1`);
  }
  lines.push(`-A ${post} -s ${net} ! -d ${net} -j MASQUERADE`, 'COMMIT', '');
  return lines.join('\n');
}

/** The rules that send the range's traffic into our chains: `[table, builtin chain, ...match, '-j', chain]`. */
export function jumpRules(range: AppNetworkRange): string[][] {
  const net = range.cidr;
  return [
    ['filter', 'INPUT', '-s', net, '-j', chainName(range, 'IN')],
    ['filter', 'FORWARD', '-s', net, '-j', chainName(range, 'FWD')],
    ['filter', 'FORWARD', '-d', net, '-j', chainName(range, 'FWD')],
    ['nat', 'PREROUTING', '-s', net, '-j', chainName(range, 'PRE')],
    ['nat', 'POSTROUTING', '-s', net, '-j', chainName(range, 'POST')],
    ['nat', 'INPUT', '-s', net, '-j', chainName(range, 'LOOP')],
  ];
}
