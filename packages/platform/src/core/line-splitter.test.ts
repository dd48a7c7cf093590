import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('LineSplitter', () => {
  it('splits across chunks, drops CR and keeps a multi-byte character split between chunks whole', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    const euro = bytes('€');
    splitter.push(bytes('one\r\ntw'));
    splitter.push(new Uint8Array([...bytes('o '), euro[0] as number]));
    splitter.push(new Uint8Array([euro[1] as number, euro[2] as number, 0x0a]));
    splitter.push(bytes('tail'));
    splitter.end();
    expect(lines).toEqual(['one', 'two €', 'tail']);
  });

  it('cuts lines that never end and replaces invalid UTF-8', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l), 4);
    splitter.push(bytes('abcdefghij\n'));
    splitter.push(new Uint8Array([0xff, 0x41, 0x0a]));
    expect(lines).toEqual(['abcd', 'efgh', 'ij', '\uFFFDA']);
  });
});
