import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { ago, print, printJson, table } from '../../output.js';

export const registerReleasesList: Registrar = (program, context) => {
  appCommand(program, 'releases', 'list releases, newest first')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const releases = await context.client().call('listReleases', { params: { app } });
      if (options.json) return printJson(releases);
      if (releases.length === 0) return print(`${app} has no releases yet.`);
      print(`=== ${app} releases`);
      print(
        table(
          releases.map((r) => [
            `v${r.version}`,
            r.description,
            r.commit ? r.commit.slice(0, 7) : '',
            r.current ? 'current' : r.status,
            r.failure ? `(${r.failure})` : '',
            ago(r.createdAt),
          ]),
        ),
      );
    });
};
