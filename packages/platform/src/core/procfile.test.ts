import { describe, expect, it } from 'vitest';
import type { DozenError } from '@dozen/contracts/errors';
import { parseProcfile } from './procfile.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as DozenError).code;
  }
  return undefined;
}

describe('parseProcfile', () => {
  it('reads types and commands, skipping blanks and comments, accepting CRLF', () => {
    expect(parseProcfile('web: node server.js\r\n\r\n# jobs\nworker:node worker.js --queue=a:b\n')).toEqual({
      web: 'node server.js',
      worker: 'node worker.js --queue=a:b',
    });
  });

  it('rejects a duplicate type, an empty command and a bad type name, naming the line', () => {
    expect(() => parseProcfile('web: a\nweb: b')).toThrow(/line 2: process type web is declared twice/);
    expect(() => parseProcfile('web:   ')).toThrow(/line 1: process type web has an empty command/);
    expect(codeOf(() => parseProcfile('we.b: x'))).toBe('PROCFILE_INVALID');
    expect(codeOf(() => parseProcfile('just a command'))).toBe('PROCFILE_INVALID');
  });

  it('limits the number of lines', () => {
    expect(codeOf(() => parseProcfile('\n'.repeat(5000)))).toBe('PROCFILE_INVALID');
  });
});
