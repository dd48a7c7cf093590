/**
 * The addressing plan of app networks: the configured private range (DOZEN_APP_NETWORK, e.g.
 * 10.213.0.0/16) cut into /30 slots; slot 0 is never used. Slot n gives the host end of the veth
 * pair `<base of slot>+1` and the app's end `+2`. Every name (namespace, host link, firewall
 * chains) is derived from an address, so that what a platform owns is recognised by its range
 * alone: a sweep at start removes every leftover of the range and nothing else.
 */
export interface AppNetworkRange {
  /** The network address as a 32-bit number. */
  base: number;
  prefix: number;
  cidr: string;
}

export interface AppSlot {
  index: number;
  hostAddress: string;
  appAddress: string;
  /** The namespace (`ip netns`) and the host end of the veth pair: the same name, `dz` + 8 hex digits. */
  name: string;
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const OWN_NAME = /^dz([0-9a-f]{8})$/;

/** Null when `cidr` is not an IPv4 range of 4 to 2^20 slots with its host bits clear. */
export function parseRange(cidr: string): AppNetworkRange | null {
  const match = DOTTED.exec(cidr.trim());
  if (!match) return null;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix < 10 || prefix > 28) return null;
  const base = octets.reduce((sum, o) => sum * 256 + o, 0);
  if (base % 2 ** (32 - prefix) !== 0) return null;
  return { base, prefix, cidr: `${octets.join('.')}/${prefix}` };
}

/** How many apps the range holds (slot 0 is not used). */
export function slotCount(range: AppNetworkRange): number {
  return 2 ** (32 - range.prefix) / 4 - 1;
}

export function slotOf(range: AppNetworkRange, index: number): AppSlot {
  if (!Number.isInteger(index) || index < 1 || index > slotCount(range)) throw new RangeError(`slot ${index} is outside ${range.cidr}`);
  const start = range.base + index * 4;
  return { index, hostAddress: dotted(start + 1), appAddress: dotted(start + 2), name: `dz${start.toString(16).padStart(8, '0')}` };
}

/** Whether a namespace or link name is one of this range's (a leftover to sweep). */
export function ownsName(range: AppNetworkRange, name: string): boolean {
  const match = OWN_NAME.exec(name);
  if (!match) return false;
  const start = parseInt(match[1] as string, 16);
  return start > range.base && start < range.base + 2 ** (32 - range.prefix) && start % 4 === 0;
}

/** The firewall chains of the range: `DZ` + its base in hex, then the hook. */
export function chainName(range: AppNetworkRange, hook: 'IN' | 'FWD' | 'PRE' | 'POST' | 'LOOP'): string {
  return `DZ${range.base.toString(16).padStart(8, '0')}-${hook}`;
}

function dotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
