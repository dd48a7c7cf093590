import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { pickBuild } from './pick.js';

export const registerBuildsOutput: Registrar = (program, context) => {
  appCommand(program, 'builds:output', 'the output of a build, live while it runs (default: the newest)')
    .argument('[build]', 'the build id')
    .action(async (id: string | undefined, options: AppOptions) => {
      const app = requireAppName(options);
      const client = context.client();
      const build = await pickBuild(client, app, id);
      for await (const chunk of client.buildOutput(app, build.id)) process.stdout.write(chunk);
    });
};
