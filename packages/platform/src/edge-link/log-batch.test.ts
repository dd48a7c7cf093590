import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../core/model.js';
import { decodeLogBatch, encodeLogBatch } from './log-batch.js';

describe('log batches on the edge link', () => {
  it('carry every line exactly: NUL, control characters, non-ASCII, a lone surrogate, empty lines', () => {
    const records: LogEvent[] = [
      { app: 'shop', source: 'app', process: 'web.1', message: 'GET / 200' },
      { app: 'shop', source: 'router', process: 'router', message: '\u0000\u0001\u001b[31mred\u001b[0m' },
      { app: 'blog', source: 'dozen', process: 'run.1234', message: 'ünïcødé 日本 🚀 \ud800' },
      { app: 'blog', source: 'app', process: 'web.2', message: '' },
    ];
    expect(decodeLogBatch(encodeLogBatch(records))).toEqual(records);
  });

  it('costs 2 bytes a character whatever the line holds (JSON would take 6 for a NUL)', () => {
    const message = '\u0000'.repeat(10_000);
    const frame = encodeLogBatch([{ app: 'shop', source: 'app', process: 'run.1', message }]);
    expect(frame.length).toBeLessThan(10_000 * 2 + 100);
    expect(JSON.stringify({ message }).length).toBeGreaterThan(10_000 * 6);
  });
});
