import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// What the runtime reads of a running process from /proc, for the scorecard's evidence (issue 18).
// Read from the host by host pid: /proc/<pid>/net/* is the network namespace of that process (its
// app's), and /proc/<pid>/fd/* links name files as the process sees them (/tmp, /app).

const LISTEN = '0A';

/** The addresses (`0.0.0.0:5000`, `[::1]:5000`) where the process's namespace has a LISTEN socket on `port`. */
export function listenAddresses(pid: number, port: number): string[] {
  const found: string[] = [];
  for (const [file, v6] of [['tcp', false], ['tcp6', true]] as const) {
    let table: string;
    try {
      table = readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    found.push(...listensIn(table, port, v6));
  }
  return [...new Set(found)];
}

/** The LISTEN rows of a /proc/net/tcp{,6} table on `port`, as `address:port`. */
export function listensIn(table: string, port: number, v6: boolean): string[] {
  const found: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const [, local, , state] = line.trim().split(/\s+/);
    if (local === undefined || state !== LISTEN) continue;
    const [hex, portHex] = local.split(':');
    if (hex === undefined || portHex === undefined || parseInt(portHex, 16) !== port) continue;
    found.push(v6 ? `[${ipv6Of(hex)}]:${port}` : `${ipv4Of(hex)}:${port}`);
  }
  return found;
}

/** /proc writes each 32-bit word in host (little-endian) order. */
function wordBytes(hex: string): number[] {
  return [6, 4, 2, 0].map((at) => parseInt(hex.slice(at, at + 2), 16));
}

function ipv4Of(hex: string): string {
  return wordBytes(hex).join('.');
}

function ipv6Of(hex: string): string {
  const bytes = [0, 8, 16, 24].flatMap((at) => wordBytes(hex.slice(at, at + 8)));
  if (bytes.every((b) => b === 0)) return '::';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return '::1';
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

/** A log file the twelve factors say should be a stream: `*.log` (or `*.log.N`) under /app or /tmp. */
const LOG_FILE = /^\/(app|tmp)\/.*\.log(\.\d+)?$/;

/** The `*.log` files under /app or /tmp that any of `pids` has open. */
export function openLogFiles(pids: readonly number[]): string[] {
  const found = new Set<string>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (LOG_FILE.test(target)) found.add(target);
      } catch {
        // closed meanwhile
      }
    }
  }
  return [...found].sort();
}

/** `EROFS: read-only file system, open '/app/x'` in the process's own output: the path of a refused write. */
export function refusedWrite(line: string): string | null {
  return /EROFS: read-only file system, \w+ '([^']+)'/.exec(line)?.[1] ?? null;
}
