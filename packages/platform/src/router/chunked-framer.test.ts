import { describe, expect, it } from 'vitest';
import { ChunkedFramer } from './chunked-framer.js';

/** Feeds `text` cut at `cuts` (offsets), or byte by byte when `cuts` is 'bytes'; `end` is where the body ended. */
function feedAll(text: string, cuts: number[] | 'bytes' = []): { end: number; error: string; done: boolean } {
  const framer = new ChunkedFramer();
  const buf = Buffer.from(text, 'latin1');
  const bounds = cuts === 'bytes' ? Array.from({ length: buf.length - 1 }, (_, i) => i + 1) : cuts;
  const pieces = [0, ...bounds, buf.length];
  // The state machine must not depend on how reads are cut.
  let end = 0;
  for (let p = 0; p + 1 < pieces.length && !framer.done; p++) {
    end = framer.feed(buf, pieces[p] as number, pieces[p + 1] as number);
    if (end < 0) break;
  }
  return { end, error: framer.error, done: framer.done };
}

describe('ChunkedFramer', () => {
  it('finds the end of a chunked body, with extensions and trailers, however it is split', () => {
    const body = '5\r\nhello\r\n6;name=value\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n';
    const text = `${body}GET /next`;
    const splits: (number[] | 'bytes')[] = ['bytes', [], ...Array.from({ length: text.length - 1 }, (_, i) => [i + 1])];
    for (const cuts of splits) {
      const result = feedAll(text, cuts);
      expect({ cuts, done: result.done, end: result.end }).toEqual({ cuts, done: true, end: body.length });
    }
  });

  it('decodes the data for clients that cannot read chunks', () => {
    const framer = new ChunkedFramer(true);
    const buf = Buffer.from('3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    framer.feed(buf, 0, buf.length);
    const ranges = framer.data ?? [];
    let data = '';
    for (let i = 0; i < ranges.length; i += 2) data += buf.toString('latin1', ranges[i], ranges[i + 1]);
    expect(data).toBe('abcde');
  });

  it.each([
    ['a non-hex size', 'ZZ\r\nhello\r\n0\r\n\r\n'],
    ['an empty size', '\r\nhello\r\n0\r\n\r\n'],
    ['a space after the size', '5 \r\nhello\r\n0\r\n\r\n'],
    ['a space before the size', ' 5\r\nhello\r\n0\r\n\r\n'],
    ['a negative size', '-5\r\nhello\r\n0\r\n\r\n'],
    ['a 0x prefix', '0x5\r\nhello\r\n0\r\n\r\n'],
    ['an overflowing size', 'fffffffffffffffff\r\nhello\r\n0\r\n\r\n'],
    ['a bare LF after the size', '5\nhello\r\n0\r\n\r\n'],
    ['data longer than its size', '3\r\nhello\r\n0\r\n\r\n'],
    ['data without CRLF', '5\r\nhelloX\r\n0\r\n\r\n'],
    ['a bare LF in an extension', '5;a\nb\r\nhello\r\n0\r\n\r\n'],
    ['a malformed trailer', '0\r\nbad trailer\r\n\r\n'],
    ['a trailer with obs-fold', '0\r\nX-A: b\r\n c\r\n\r\n'],
  ])('refuses %s', (_name, text) => {
    for (const cuts of [[], 'bytes'] as (number[] | 'bytes')[]) {
      const result = feedAll(text, cuts);
      expect(result.end).toBe(-1);
      expect(result.error).not.toBe('');
    }
  });
});
