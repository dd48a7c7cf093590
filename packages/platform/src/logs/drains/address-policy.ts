import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DozenError } from '@dozen/contracts/errors';

export interface AddressPolicy {
  /** Loopback sinks are for tests and single-machine setups; off by default. */
  allowLoopback: boolean;
  /** The platform's own listening ports (API, router): never a drain target on this host. */
  ownPorts(): number[];
  /** Certificate authorities to trust instead of the system's (tests); NODE_EXTRA_CA_CERTS adds to the system's. */
  ca?: string | undefined;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Never reachable by a drain: unspecified, link-local (cloud metadata lives there), multicast, broadcast. */
const NEVER = new BlockList();
NEVER.addSubnet('0.0.0.0', 8, 'ipv4');
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addSubnet('224.0.0.0', 3, 'ipv4');
NEVER.addSubnet('100.100.100.200', 32, 'ipv4');
NEVER.addAddress('::', 'ipv6');
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addSubnet('ff00::', 8, 'ipv6');
NEVER.addSubnet('fd00:ec2::', 32, 'ipv6');

/** The reason an address may not be a drain target, or null when it may. */
export function refusal(address: string, port: number, policy: AddressPolicy): string | null {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const plain = unmapped(address);
  const plainFamily = isIP(plain) === 6 ? 'ipv6' : 'ipv4';
  if (NEVER.check(plain, plainFamily) || NEVER.check(address, family)) return `${address} is a link-local, metadata or unspecified address`;
  const loopback = LOOPBACK.check(plain, plainFamily);
  if ((loopback || isLocalInterface(plain)) && policy.ownPorts().includes(port)) return `${address}:${port} is the platform's own API or router`;
  if (loopback && !policy.allowLoopback) return `${address} is a loopback address`;
  return null;
}

/**
 * Resolves the host and checks every address it resolves to; connections go to the returned
 * address, so a name that re-resolves elsewhere later (DNS rebinding) changes nothing.
 */
export async function resolveAllowed(host: string, port: number, policy: AddressPolicy): Promise<string> {
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch (error) {
      throw new DozenError('DRAIN_URL_INVALID', `Drain host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'}).`, { hint: 'Check the host name of the drain URL.' });
    }
  }
  for (const address of addresses) {
    const reason = refusal(address, port, policy);
    if (reason) throw new DozenError('DRAIN_URL_FORBIDDEN', `Drain host ${host} is not allowed: ${reason}.`);
  }
  return addresses[0] as string;
}

function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? (match[1] as string) : address;
}

function isLocalInterface(address: string): boolean {
  for (const list of Object.values(networkInterfaces())) for (const nic of list ?? []) if (nic.address === address) return true;
  return address === '0.0.0.0' || address === '::';
}
