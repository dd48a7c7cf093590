import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { tarball } from '../../test-support/tarball.js';
import { defaultArchiveLimits, TarIntake } from './tar-intake.js';

const work = mkdtempSync(join(tmpdir(), 'dozen-intake-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The extractor processes this test process has as children right now. */
function extractors(): number[] {
  const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('extract-child');
    } catch {
      return false;
    }
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return condition();
}

describe('TarIntake: no extractor kept while idle', () => {
  it('keeps a spare for the next upload, and ends it after the idle time', async () => {
    const intake = new TarIntake(work, defaultArchiveLimits, process.execPath, 300);
    expect(extractors()).toEqual([]);
    const first = await intake.receive(Readable.from([tarball([{ path: 'a.txt', content: 'one' }])]));
    expect(readFileSync(join(first.location, 'a.txt'), 'utf8')).toBe('one');
    // The extractor that did the work has exited; the spare waits for the next upload.
    expect(await until(() => extractors().length === 1, 2000)).toBe(true);
    const second = await intake.receive(Readable.from([tarball([{ path: 'b.txt', content: 'two' }])]));
    expect(readFileSync(join(second.location, 'b.txt'), 'utf8')).toBe('two');
    // Idle for longer than the spare's time: nothing is kept.
    expect(await until(() => extractors().length === 0, 3000)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(extractors()).toEqual([]);
  });
});
