import { showControlChars } from '../../control-chars.js';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerConfigList: Registrar = (program, context) => {
  appCommand(program, 'config', 'show config vars')
    .option('--json', 'print JSON')
    .option('-s, --shell', 'print KEY=value lines for a shell')
    .action(async (options: AppOptions & { shell?: boolean }) => {
      const app = requireAppName(options);
      const config = await context.client().call('getConfig', { params: { app } });
      if (options.json) return printJson(config);
      const keys = Object.keys(config).sort();
      if (options.shell) {
        for (const key of keys) print(`${key}=${shellQuote(config[key] ?? '')}`);
        return;
      }
      print(`=== ${app} config vars`);
      const width = Math.max(0, ...keys.map((k) => k.length + 1));
      // Escaped as `dozen logs` does: a value cannot drive the terminal (--shell and --json stay exact).
      for (const key of keys) print(`${`${key}:`.padEnd(width)} ${showControlChars(config[key] ?? '')}`);
    });
};

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
