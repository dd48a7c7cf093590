import { addonAndToolArgs } from '../../dash-dash.js';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { runAttached } from '../run.js';

const USAGE = 'dozen redis:cli [REDIS] -a APP [-- COMMAND ARGS]';

export const registerRedisCli: Registrar = (program, context) => {
  appCommand(program, 'redis:cli', `redis-cli on a redis add-on, run as a one-off process of the app: ${USAGE}`)
    .argument('[redis...]', 'add-on or attachment name (default REDIS_URL), then -- and a Redis command (none: commands from stdin)')
    .action(async (operands: string[], options: AppOptions) => {
      const app = requireAppName(options);
      const { addon, args } = addonAndToolArgs(program, operands, USAGE);
      process.exitCode = await runAttached(context, app, args, { addonClient: { client: 'redis-cli', ...(addon ? { addon } : {}) } });
    });
};
