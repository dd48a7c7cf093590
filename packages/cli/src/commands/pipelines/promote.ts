import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerPipelinesPromote: Registrar = (program, context) => {
  appCommand(program, 'pipelines:promote', "release the app's slug on the next stage (no build; each target keeps its own config)")
    .option('-t, --to <apps>', 'the apps to promote to, comma-separated (default: every app of the next stage)')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions & { to?: string }) => {
      const app = requireAppName(options);
      const to = options.to?.split(',').map((name) => name.trim()).filter((name) => name !== '');
      const result = await context.client().call('promote', { params: { app }, body: to === undefined ? {} : { to } });
      if (options.json) return printJson(result);
      for (const line of result.output) print(line);
      const digest = result.source.digest === null ? '' : ` (slug sha256 ${result.source.digest.slice(0, 12)})`;
      for (const p of result.promotions) print(`Promoted ${result.source.app} v${result.source.version} to ${p.release.app}: v${p.release.version}${digest}.`);
    });
};
