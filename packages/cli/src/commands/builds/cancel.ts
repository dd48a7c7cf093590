import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';
import { pickBuild } from './pick.js';

export const registerBuildsCancel: Registrar = (program, context) => {
  appCommand(program, 'builds:cancel', 'cancel a pending or running build (default: the newest one that is)')
    .argument('[build]', 'the build id')
    .action(async (id: string | undefined, options: AppOptions) => {
      const app = requireAppName(options);
      const client = context.client();
      const build = await pickBuild(client, app, id, true);
      await client.call('cancelBuild', { params: { app, build: build.id } });
      print(`Cancelled build ${build.id} of ${app}.`);
    });
};
