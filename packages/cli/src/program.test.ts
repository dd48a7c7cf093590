import { describe, expect, it } from 'vitest';
import type { CliContext } from './context.js';
import { buildProgram } from './program.js';

const context = {} as CliContext;

describe('the program loads only the command it runs', () => {
  it('--version registers no command; help, no command and an unknown one register them all, grouped by noun', async () => {
    expect((await buildProgram(context, ['--version'])).commands).toHaveLength(0);
    const all = await buildProgram(context, ['help']);
    expect(all.commands.length).toBeGreaterThan(40);
    expect((await buildProgram(context, [])).commands).toHaveLength(all.commands.length);
    expect((await buildProgram(context, ['no-such-command'])).commands).toHaveLength(all.commands.length);
    const groups = new Set(all.commands.map((c) => c.helpGroup()));
    expect([...groups]).toEqual(expect.arrayContaining(['Apps:', 'Config vars:', 'Processes:', 'Releases:', 'Add-ons:', 'Git:', 'Platform:']));
    expect(all.commands.find((c) => c.name() === 'ps:scale')?.helpGroup()).toBe('Processes:');
  });

  it('each command name loads the module that registers that very command', async () => {
    const names = (await buildProgram(context, ['help'])).commands.map((c) => c.name()).filter((name) => name !== 'help');
    for (const name of names) {
      const program = await buildProgram(context, ['--verbose', name, '-a', 'x']);
      expect(program.commands.map((c) => c.name()), name).toEqual([name]);
    }
  });
});
