import { describe, expect, it } from 'vitest';
import { describeDiff, diffEnv, formatEnvFile, parseEnvFile } from './env-file.js';

describe('.env files', () => {
  it('reads comments, export, unquoted, single- and double-quoted values', () => {
    const text = [
      '# a comment',
      '',
      'export A=1',
      'B = two words  # trailing comment',
      "C='single $HOME \\n kept'",
      'D="line\\nnext \\"q\\" \\\\ \\$x"',
      'E=',
      'F=a#b',
      'G="multi',
      'line" # done',
      "H='x",
      "y'",
    ].join('\r\n');
    expect(parseEnvFile(text)).toEqual({ A: '1', B: 'two words', C: 'single $HOME \\n kept', D: 'line\nnext "q" \\ $x', E: '', F: 'a#b', G: 'multi\nline', H: 'x\ny' });
  });

  it('refuses a bad line with its line number', () => {
    expect(() => parseEnvFile('A=1\nnot a pair\n', 'x.env')).toThrow('x.env line 2: "not a pair" is not KEY=value.');
    expect(() => parseEnvFile('A=1\n\n1X=2\n')).toThrow('.env line 3: "1X" is not a variable name.');
    expect(() => parseEnvFile('A="open\nB=2\n')).toThrow('.env line 1: the double quote of A is never closed.');
    expect(() => parseEnvFile("A='x' y\n")).toThrow(`.env line 1: unexpected "y" after the closing quote of A.`);
    try {
      parseEnvFile('A=1\n=x');
      expect.unreachable();
    } catch (error) {
      expect((error as { code: string }).code).toBe('ENV_FILE_INVALID');
    }
  });

  it('writes what it reads back exactly', () => {
    const vars = { PLAIN: 'abc-1.2', SPACE: 'a b', QUOTES: `it's "x"`, LINES: 'a\nb\r\n\tc', DOLLAR: '$HOME\\n', EMPTY: '', HASH: '#x' };
    const text = formatEnvFile(vars);
    expect(text.split('\n')[0]).toBe('DOLLAR="\\$HOME\\\\n"');
    expect(parseEnvFile(text)).toEqual(vars);
  });

  it('diffs two sets of vars without showing values', () => {
    const from = { A: '1', B: '2', C: '3' };
    const diff = diffEnv(from, { A: '1', B: 'changed', D: 'new' });
    expect(diff).toEqual({ set: { B: 'changed', D: 'new' }, unset: ['C'] });
    expect(describeDiff(from, diff)).toEqual(['~ B', '+ D', '- C']);
    expect(diffEnv(from, { ...from })).toEqual({ set: {}, unset: [] });
  });
});
