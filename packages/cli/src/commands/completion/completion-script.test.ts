import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandNames } from '../../program.js';
import { completionScript } from './completion-script.js';

const dir = mkdtempSync(join(tmpdir(), 'dozen-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What bash completes for the command line `line` (the cursor at its end), with a `dozen` on PATH that lists two apps. */
function bashCompletes(line: string): string[] {
  const fake = join(dir, 'dozen');
  writeFileSync(fake, '#!/bin/sh\n[ "$1" = completion:apps ] && printf "shop\\nshop-staging\\nblog\\n"\n');
  chmodSync(fake, 0o755);
  const script = `${completionScript('bash', commandNames())}
COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}; _dozen; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` } }).toString().split('\n').filter((w) => w !== '');
}

describe('shell completion', () => {
  it('the scripts carry every command of the program', () => {
    const names = commandNames();
    expect(names).toEqual(expect.arrayContaining(['apps', 'config:pull', 'dev', 'dev:run', 'completion', 'ps:scale', 'help']));
    for (const shell of ['bash', 'zsh'] as const) {
      const script = completionScript(shell, names);
      for (const name of names) expect(script, `${shell} ${name}`).toMatch(new RegExp(`[ '(]${name}[ ')]`));
      expect(script).toContain('dozen completion:apps');
    }
    expect(completionScript('zsh', names)).toContain('compdef _dozen dozen');
  });

  it('bash completes command names (after the colon bash splits at) and app names after -a', () => {
    expect(bashCompletes('dozen con')).toEqual(['config', 'config:edit', 'config:get', 'config:pull', 'config:push', 'config:set', 'config:unset']);
    expect(bashCompletes('dozen config:pu')).toEqual(['pull', 'push']);
    expect(bashCompletes('dozen dev')).toEqual(['dev', 'dev:run']);
    expect(bashCompletes('dozen ps -a sh')).toEqual(['shop', 'shop-staging']);
    expect(bashCompletes('dozen ps --app ')).toEqual(['shop', 'shop-staging', 'blog']);
    expect(bashCompletes('dozen ps web')).toEqual([]);
  });
});
