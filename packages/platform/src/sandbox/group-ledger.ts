import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { signalProcess } from './process-tree.js';

interface Entry {
  pid: number;
  /** Start time of the process (clock ticks since boot): a reused pid has another. */
  started: string;
}

/**
 * The process groups the unsandboxed fallback started, kept in a file so that the next start of
 * the platform can end those a `kill -9` left behind (without a pid namespace, nothing else does).
 */
export class GroupLedger {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly file: string) {}

  /** Kills every recorded group whose leader is still the process that was recorded; forgets them all. */
  sweep(): number {
    let killed = 0;
    for (const entry of this.read()) {
      if (startTime(entry.pid) !== entry.started) continue;
      signalProcess(-entry.pid, 'SIGKILL');
      killed += 1;
    }
    this.save();
    return killed;
  }

  add(pid: number): void {
    const started = startTime(pid);
    if (started === null) return;
    this.entries.set(pid, { pid, started });
    this.save();
  }

  remove(pid: number): void {
    if (this.entries.delete(pid)) this.save();
  }

  private read(): Entry[] {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Entry[];
    } catch {
      return [];
    }
  }

  private save(): void {
    writeFileSync(`${this.file}.tmp`, JSON.stringify([...this.entries.values()]), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }
}

function startTime(pid: number): string | null {
  try {
    // Field 22 of /proc/PID/stat, counted after the command name (which may contain spaces).
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
