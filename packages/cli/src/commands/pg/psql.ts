import { addonAndToolArgs } from '../../dash-dash.js';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { runAttached } from '../run.js';

const USAGE = 'dozen pg:psql [DATABASE] -a APP [-c SQL] [-- PSQL ARGS]';

export const registerPgPsql: Registrar = (program, context) => {
  appCommand(program, 'pg:psql', `psql on a postgres add-on, run as a one-off process of the app: ${USAGE}`)
    .argument('[database...]', 'add-on or attachment name (default DATABASE_URL), then -- and psql arguments')
    .option('-c, --command <sql>', 'run one SQL command and exit')
    .action(async (operands: string[], options: AppOptions & { command?: string }) => {
      const app = requireAppName(options);
      const { addon, args } = addonAndToolArgs(program, operands, USAGE);
      const psqlArgs = [...(options.command === undefined ? [] : ['-c', options.command]), ...args];
      process.exitCode = await runAttached(context, app, psqlArgs, { addonClient: { client: 'psql', ...(addon ? { addon } : {}) } });
    });
};
