import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { printBuildpacks } from './list.js';

export const registerBuildpacksSet: Registrar = (program, context) => {
  appCommand(program, 'buildpacks:set', 'set the buildpacks of an app, in order (names, paths, git URLs with #ref)')
    .argument('<buildpacks...>', 'node, procfile, /path/to/buildpack or https://host/repo.git#ref')
    .action(async (buildpacks: string[], options: AppOptions) => {
      const app = requireAppName(options);
      printBuildpacks(app, await context.client().call('setBuildpacks', { params: { app }, body: { buildpacks } }));
    });
};
