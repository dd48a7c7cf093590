import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Each test platform gets an app network range of its own (a /22 of 10.214.0.0/16), so that
 * platforms running at the same time on this host (several test processes, or a developer's own
 * platform on the default 10.213.0.0/16) never sweep each other's namespaces and firewall chains,
 * which a platform does for its whole range when it starts. A claim is a directory made
 * exclusively, holding the claiming process's pid; a dead process's claim is taken over.
 */
const CLAIMS = join(tmpdir(), 'dozen-e2e-networks');
const SLICES = 64;

export function claimNetworkRange(): string {
  mkdirSync(CLAIMS, { recursive: true });
  const start = Math.floor(Math.random() * SLICES);
  for (let i = 0; i < SLICES; i++) {
    const slice = (start + i) % SLICES;
    if (claim(slice)) return cidrOf(slice);
  }
  throw new Error(`all ${SLICES} test network ranges are claimed (see ${CLAIMS})`);
}

/** Gives a range back, if this process holds it. */
export function releaseNetworkRange(cidr: string | undefined): void {
  const slice = cidr === undefined ? -1 : Array.from({ length: SLICES }, (_, k) => k).find((k) => cidrOf(k) === cidr) ?? -1;
  if (slice >= 0 && ownerOf(slice) === process.pid) rmSync(join(CLAIMS, String(slice)), { recursive: true, force: true });
}

function claim(slice: number): boolean {
  const dir = join(CLAIMS, String(slice));
  try {
    mkdirSync(dir);
  } catch {
    const owner = ownerOf(slice);
    if (owner !== null && alive(owner)) return false;
    rmSync(dir, { recursive: true, force: true });
    try {
      mkdirSync(dir);
    } catch {
      return false;
    }
  }
  writeFileSync(join(dir, 'pid'), String(process.pid));
  return true;
}

function ownerOf(slice: number): number | null {
  try {
    return Number(readFileSync(join(CLAIMS, String(slice), 'pid'), 'utf8'));
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function cidrOf(slice: number): string {
  return `10.214.${slice * 4}.0/22`;
}
