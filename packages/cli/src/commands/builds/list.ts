import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { ago, print, printJson, table } from '../../output.js';

export const registerBuildsList: Registrar = (program, context) => {
  appCommand(program, 'builds', 'list builds, newest first')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const builds = await context.client().call('listBuilds', { params: { app } });
      if (options.json) return printJson(builds);
      if (builds.length === 0) return print(`${app} has no builds yet.`);
      print(`=== ${app} builds`);
      print(table(builds.map((b) => [b.id, b.status, b.release === null ? '' : `v${b.release}`, b.error ? b.error.message : '', ago(b.createdAt)])));
    });
};
