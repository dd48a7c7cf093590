import { appCommand, requireAppName, type AppOptions, type Registrar } from '../command-kit.js';
import { print } from '../output.js';

export const registerOpen: Registrar = (program, context) => {
  appCommand(program, 'open', "print the app's URL").action(async (options: AppOptions) => {
    const info = await context.client().call('getApp', { params: { app: requireAppName(options) } });
    print(info.webUrl);
  });
};
