import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerBuildpacksClear: Registrar = (program, context) => {
  appCommand(program, 'buildpacks:clear', 'clear the buildpacks of an app: app.json `buildpacks` or detection decides again')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      await context.client().call('setBuildpacks', { params: { app }, body: { buildpacks: [] } });
      print(`Cleared the buildpacks of ${app}.`);
    });
};
