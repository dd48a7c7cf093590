import { existsSync } from 'node:fs';
import { DozenError } from '@dozen/contracts/errors';
import type { AppNetwork } from '../shared-ports/app-network.js';
import type { AppNetworkRange } from './address-plan.js';
import type { RouterAddress } from './firewall-rules.js';
import { HostNetwork } from './host-network.js';
import { IsolatedNetworks, type NetworkTools } from './isolated-networks.js';

export type NetworkMode = 'auto' | 'on' | 'off';

/**
 * Each app in its own network when the sandbox is bubblewrap (the platform runs as root) and
 * iproute2 and iptables are installed; otherwise the host's network, saying why. `on` insists.
 */
export async function openNetwork(mode: NetworkMode, sandboxed: boolean, range: AppNetworkRange, router: () => RouterAddress | null): Promise<AppNetwork> {
  const tools = findTools();
  let problem = mode === 'off' ? 'DOZEN_NETWORK_ISOLATION=off'
    : !sandboxed ? 'apps are not sandboxed (no bubblewrap, or the platform does not run as root)'
    : typeof tools === 'string' ? tools : null;
  if (problem === null && typeof tools !== 'string') {
    try {
      return await IsolatedNetworks.open(range, tools, router);
    } catch (error) {
      // A host that forbids it (a read-only /proc/sys in a container, no nf_tables): say why.
      problem = `it could not be set up: ${(error as Error).message}`;
    }
  }
  if (mode === 'on') throw new DozenError('PLATFORM_CONFIG_INVALID', `DOZEN_NETWORK_ISOLATION=on, but ${problem}.`, { hint: 'Run the platform as root with bubblewrap, iproute2 and iptables installed (apt-get install bubblewrap iproute2 iptables), or set DOZEN_NETWORK_ISOLATION=auto.' });
  return new HostNetwork(`network isolation is off (${problem}): apps share the host's network and can reach its loopback services`);
}

const DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];

function findTools(): NetworkTools | string {
  const find = (name: string) => DIRS.map((dir) => `${dir}/${name}`).find((path) => existsSync(path)) ?? null;
  const ip = find('ip');
  const iptables = find('iptables');
  const iptablesRestore = find('iptables-restore');
  if (ip === null) return 'iproute2 is not installed (no ip command)';
  if (iptables === null || iptablesRestore === null) return 'iptables is not installed';
  return { ip, iptables, iptablesRestore };
}
