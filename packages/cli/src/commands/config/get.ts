import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';

export const registerConfigGet: Registrar = (program, context) => {
  appCommand(program, 'config:get', 'print the value of one config var')
    .argument('<key>', 'the config var')
    .action(async (key: string, options: AppOptions) => {
      const app = requireAppName(options);
      const config = await context.client().call('getConfig', { params: { app } });
      if (!Object.hasOwn(config, key)) throw new DozenError('CONFIG_VAR_NOT_SET', `${key} is not set on ${app}.`);
      process.stdout.write(`${config[key]}\n`);
    });
};
