// Memory of processes, from /proc: RSS of one process, PSS of process trees.
import { readFileSync } from 'node:fs';

export function rssBytes(pid) {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Proportional set size (shared pages split between their users): the fair share of a process. */
export function pssBytes(pid) {
  try {
    const match = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function treeOf(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]));
  return all;
}

export function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** The median of `samples` RSS readings `intervalMs` apart (the heap breathes). */
export async function settledRss(pid, samples = 11, intervalMs = 300) {
  const readings = [];
  for (let i = 0; i < samples; i++) {
    readings.push(rssBytes(pid));
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return median(readings);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
