import { describe, expect, it } from 'vitest';
import { showControlChars } from './control-chars.js';

describe('control characters from apps', () => {
  it('are shown as \\xNN, tab and printable text (Unicode too) as they are', () => {
    expect(showControlChars('\u001b[2J\u001b]52;c;aGk=\u0007x\u0000\r\n\u009b1A\ttab é ✓')).toBe('\\x1b[2J\\x1b]52;c;aGk=\\x07x\\x00\\x0d\\x0a\\x9b1A\ttab é ✓');
    expect(showControlChars('\u007f')).toBe('\\x7f');
  });
});
