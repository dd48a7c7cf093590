import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerAddonsRotate: Registrar = (program, context) => {
  appCommand(program, 'addons:rotate', "new credentials for an add-on; every app it is attached to gets a release with the new URL")
    .argument('<addon>', 'add-on name, or attachment name in the app')
    .action(async (addon: string, options: AppOptions) => {
      const done = await context.client().call('rotateAddonCredentials', { params: { app: requireAppName(options), addon } });
      for (const release of done.releases) print(`${release.app}: released v${release.version} with the new credentials.`);
      print(`Rotated the credentials of ${done.addon}.`);
    });
};
