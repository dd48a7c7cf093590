import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerBuildsCachePurge: Registrar = (program, context) => {
  appCommand(program, 'builds:cache:purge', 'forget the build caches of an app: the next build installs everything again')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      await context.client().call('purgeBuildCache', { params: { app } });
      print(`Purged the build cache of ${app}.`);
    });
};
