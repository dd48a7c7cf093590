import { describe, expect, it } from 'vitest';
import { credentialHelperCommand } from './helper-command.js';

describe('the credential helper git:remote stores', () => {
  it('runs the installed bin/dozen.js with this node', () => {
    const { command, note } = credentialHelperCommand('http://127.0.0.1:7000', '/opt/dozen/packages/cli/bin/dozen.js');
    expect(command).toEqual([process.execPath, '/opt/dozen/packages/cli/bin/dozen.js', 'git:credential', '--api-url', 'http://127.0.0.1:7000']);
    expect(note).toBeNull();
  });

  it('runs `dozen` from PATH, and says so, when this CLI lives in the npx cache', () => {
    const { command, note } = credentialHelperCommand('http://127.0.0.1:7000', '/home/u/.npm/_npx/4f2a/node_modules/dozen/packages/cli/bin/dozen.js');
    expect(command).toEqual(['dozen', 'git:credential', '--api-url', 'http://127.0.0.1:7000']);
    expect(note).toMatch(/npx cache/);
  });
});
