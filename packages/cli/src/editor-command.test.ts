import { describe, expect, it } from 'vitest';
import { editorArgv } from './editor-command.js';

describe('$EDITOR as argv (no shell)', () => {
  it('splits words, groups quotes, keeps shell characters as text', () => {
    expect(editorArgv({ EDITOR: 'vi' })).toEqual(['vi']);
    expect(editorArgv({ EDITOR: '  code   --wait ' })).toEqual(['code', '--wait']);
    expect(editorArgv({ EDITOR: `"/opt/My Editor/ed" -w 'a b' c\\ d` })).toEqual(['/opt/My Editor/ed', '-w', 'a b', 'c d']);
    expect(editorArgv({ EDITOR: 'ed; rm -rf ~ $(x)' })).toEqual(['ed;', 'rm', '-rf', '~', '$(x)']);
    expect(editorArgv({ VISUAL: 'nano', EDITOR: 'vi' })).toEqual(['nano']);
    expect(editorArgv({})).toEqual(['vi']);
    expect(() => editorArgv({ EDITOR: '"open' })).toThrow(/unclosed " quote/);
  });
});
