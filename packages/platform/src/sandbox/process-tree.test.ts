import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuSeconds, processTree } from './process-tree.js';

describe('cpuSeconds', () => {
  it('reads the CPU time of a process tree from /proc, children included', async () => {
    // A shell whose child spins until it has used 400 ms of CPU (not of the clock: the machine may be busy), then waits.
    const child = spawn('/bin/sh', ['-c', `${JSON.stringify(process.execPath)} -e "while (process.cpuUsage().user < 400000); console.log('spun')"; sleep 30`], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = child.pid as number;
      expect(cpuSeconds([pid])).toBeLessThan(0.2);
      await new Promise((resolve) => child.stdout.once('data', resolve));
      // The spinner may still be exiting (counted in the tree) or reaped (counted in the shell's cutime).
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(cpuSeconds(processTree(pid))).toBeGreaterThanOrEqual(0.3);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('is null when no process could be read', () => {
    expect(cpuSeconds([2 ** 22 + 12_345])).toBeNull();
  });
});
