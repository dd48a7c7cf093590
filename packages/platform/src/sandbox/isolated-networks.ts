import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { AppAddress, AppNetwork } from '../shared-ports/app-network.js';
import { ownsName, slotCount, slotOf, type AppNetworkRange, type AppSlot } from './address-plan.js';
import { firewallRules, jumpRules, type RouterAddress } from './firewall-rules.js';

export interface NetworkTools {
  ip: string;
  iptables: string;
  iptablesRestore: string;
}

interface AppState {
  slot: AppSlot;
  loopbackPorts: number[];
}

/**
 * A network namespace per app, joined by every process of the app, with a veth pair to the host
 * (see address-plan.ts and firewall-rules.ts). Every change runs in one queue; the firewall is
 * rewritten whole from the apps known here after each one. Commands get argument arrays: the
 * names and addresses come from the address plan, never from an app.
 */
export class IsolatedNetworks implements AppNetwork {
  readonly isolated = true;
  readonly note: string;
  private readonly apps = new Map<string, AppState>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly range: AppNetworkRange,
    private readonly tools: NetworkTools,
    private readonly router: () => RouterAddress | null,
  ) {
    this.note = `every app has its own network namespace in ${range.cidr}: it reaches the internet, the router's port and its own add-on servers, nothing else of the host or of other apps`;
  }

  /** Sweeps what a previous run left in the range, then sets the host up for forwarding. */
  static async open(range: AppNetworkRange, tools: NetworkTools, router: () => RouterAddress | null): Promise<IsolatedNetworks> {
    const networks = new IsolatedNetworks(range, tools, router);
    await networks.sweep();
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
    await networks.applyFirewall();
    await networks.ensureJumps();
    return networks;
  }

  prepare(app: string, loopbackPorts: readonly number[]): Promise<AppAddress> {
    return this.serially(async () => {
      const ports = [...new Set(loopbackPorts)].sort((a, b) => a - b);
      let state = this.apps.get(app);
      if (!state) {
        state = { slot: slotOf(this.range, this.freeSlot()), loopbackPorts: ports };
        this.apps.set(app, state);
        try {
          await this.create(state.slot);
        } catch (error) {
          this.apps.delete(app);
          await this.destroy(state.slot);
          throw error;
        }
        await this.applyFirewall();
      } else if (ports.join() !== state.loopbackPorts.join()) {
        state.loopbackPorts = ports;
        await this.applyFirewall();
      }
      return { host: state.slot.appAddress, namespace: `/run/netns/${state.slot.name}`, gateway: state.slot.hostAddress };
    });
  }

  remove(app: string): Promise<void> {
    return this.serially(async () => {
      const state = this.apps.get(app);
      if (!state) return;
      this.apps.delete(app);
      await this.applyFirewall();
      await this.destroy(state.slot);
    });
  }

  close(): Promise<void> {
    return this.serially(async () => {
      this.apps.clear();
      await this.sweep();
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private freeSlot(): number {
    const used = new Set([...this.apps.values()].map((state) => state.slot.index));
    for (let index = 1; index <= slotCount(this.range); index++) if (!used.has(index)) return index;
    throw new Error(`the app network ${this.range.cidr} has no free address left; set DOZEN_APP_NETWORK to a larger range`);
  }

  /** Three commands (iproute2 batches): each exec costs a few ms, and this runs once per app. */
  private async create(slot: AppSlot): Promise<void> {
    const { ip } = this.tools;
    const ns = slot.name;
    await run(ip, ['netns', 'add', ns]);
    await run(ip, ['-batch', '-'], [
      `link add ${slot.name} type veth peer name eth0 netns ${ns}`,
      `addr add ${slot.hostAddress}/30 dev ${slot.name}`,
      '',
    ].join('\n'));
    // The DNAT of gateway ports to the host's loopback needs loopback addresses routable from it.
    await writeFile(`/proc/sys/net/ipv4/conf/${slot.name}/route_localnet`, '1');
    await run(ip, ['link', 'set', slot.name, 'up']);
    await run(ip, ['-n', ns, '-batch', '-'], [
      `addr add ${slot.appAddress}/30 dev eth0`,
      'link set lo up',
      'link set eth0 up',
      `route add default via ${slot.hostAddress}`,
      '',
    ].join('\n'));
  }

  /** Deleting the namespace deletes its end of the pair, and with it the host's end. */
  private async destroy(slot: AppSlot): Promise<void> {
    await run(this.tools.ip, ['netns', 'delete', slot.name]).catch(() => undefined);
    await run(this.tools.ip, ['link', 'delete', slot.name]).catch(() => undefined);
  }

  private async applyFirewall(): Promise<void> {
    const reach = [...this.apps.values()].map((state) => ({ slot: state.slot, loopbackPorts: state.loopbackPorts }));
    await run(this.tools.iptablesRestore, ['-w', '--noflush'], firewallRules(this.range, reach, this.router()));
  }

  /** The jumps into our chains, once at start (the chains' contents change, the jumps do not). */
  private async ensureJumps(): Promise<void> {
    for (const [table, chain, ...rule] of jumpRules(this.range)) {
      const exists = await run(this.tools.iptables, ['-w', '-t', table as string, '-C', chain as string, ...rule]).then(() => true, () => false);
      if (!exists) await run(this.tools.iptables, ['-w', '-t', table as string, '-I', chain as string, '1', ...rule]);
    }
  }

  /** Everything of the range: namespaces, host links, jumps and chains. */
  private async sweep(): Promise<void> {
    const namespaces = (await run(this.tools.ip, ['netns', 'list'])).split('\n').map((line) => line.split(' ')[0] ?? '');
    for (const name of namespaces.filter((n) => ownsName(this.range, n))) await run(this.tools.ip, ['netns', 'delete', name]).catch(() => undefined);
    const links = (await run(this.tools.ip, ['-o', 'link', 'show'])).split('\n').map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1] ?? '');
    for (const name of links.filter((n) => ownsName(this.range, n))) await run(this.tools.ip, ['link', 'delete', name]).catch(() => undefined);
    for (const [table, chain, ...rule] of jumpRules(this.range)) {
      while (await run(this.tools.iptables, ['-w', '-t', table as string, '-D', chain as string, ...rule]).then(() => true, () => false));
    }
    for (const [table, chain] of jumpRules(this.range).map((rule) => [rule[0] as string, rule[rule.length - 1] as string])) {
      await run(this.tools.iptables, ['-w', '-t', table as string, '-F', chain as string]).catch(() => undefined);
      await run(this.tools.iptables, ['-w', '-t', table as string, '-X', chain as string]).catch(() => undefined);
    }
  }
}

function run(file: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')}: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
