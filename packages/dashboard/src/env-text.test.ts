import { describe, expect, it } from 'vitest';
import { configChange, parseEnvText, toEnvText } from './env-text.js';
import { releaseAuthors } from './release-authors.js';

describe('the bulk editor\'s .env text', () => {
  it('parses KEY=value lines, export, comments and both quotes; reports bad lines by number', () => {
    const text = '# comment\nexport A=1\nB = "two words \\"q\\"\\nnext"\nC=\'$literal #x\'\nD=plain # trailing\n\nnot a pair\n';
    expect(parseEnvText(text)).toEqual({ vars: { A: '1', B: 'two words "q"\nnext', C: '$literal #x', D: 'plain' }, errors: ['line 7: expected KEY=value'] });
  });

  it('round-trips through toEnvText and diffs against the current config (keys left out are unset)', () => {
    const vars = { A: 'x y', B: 'line\none', C: 'a"b', D: 'simple' };
    expect(parseEnvText(toEnvText(vars)).vars).toEqual(vars);
    expect(configChange({ A: '1', B: '2', C: '3' }, { A: '1', B: 'two', D: '4' })).toEqual({ B: 'two', D: '4', C: null });
  });
});

describe('who made a release', () => {
  it('a build: the upload before it; any other: the first releasing request answered after it, failures left out', () => {
    const event = (time: string, action: string, label: string, status = 200) => ({ time, action, actor: { label }, result: { status } });
    const events = [
      event('2026-01-01T00:00:00Z', 'createBuild', 'ada', 201),
      event('2026-01-01T00:01:10Z', 'updateConfig', 'eve', 422),
      event('2026-01-01T00:01:20Z', 'getConfig', 'zed'),
      event('2026-01-01T00:02:05Z', 'updateConfig', 'carol'),
      event('2026-01-01T00:03:09Z', 'rollback', 'dan', 201),
    ];
    const releases = [
      { version: 1, createdAt: '2026-01-01T00:00:30Z', description: 'Deploy 0123abc' },
      { version: 2, createdAt: '2026-01-01T00:02:00Z', description: 'Set GREETING config vars' },
      { version: 3, createdAt: '2026-01-01T00:03:00Z', description: 'Deploy 0123abc' },
      { version: 4, createdAt: '2026-01-01T00:03:01Z', description: 'Rollback to v1' },
    ];
    expect([...releaseAuthors(releases, events)]).toEqual([[1, 'ada'], [2, 'carol'], [3, 'ada'], [4, 'dan']]);
  });
});
