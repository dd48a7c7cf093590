import { describe, expect, it } from 'vitest';
import { ECHO_MAX, echoCommand } from './command-echo.js';

describe('the command `run` echoes', () => {
  it('is the command as given when short', () => {
    expect(echoCommand(['node', '-e', 'console.log(1)'])).toBe('node -e console.log(1)');
  });

  it('is cut to ECHO_MAX characters with an ellipsis when long', () => {
    const long = ['node', '-e', `console.log(${'x'.repeat(500)})`];
    const echoed = echoCommand(long);
    expect(echoed).toHaveLength(ECHO_MAX);
    expect(echoed.endsWith('…')).toBe(true);
    expect(echoed.startsWith('node -e console.log(xxx')).toBe(true);
  });

  it('stays on one line: newlines and escapes are shown, not played', () => {
    expect(echoCommand(['sh', '-c', 'a\nb\u001b[2J'])).toBe('sh -c a\\x0ab\\x1b[2J');
  });
});
