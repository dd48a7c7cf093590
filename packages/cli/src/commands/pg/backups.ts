import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';
import { megabytes } from '../backups/download-file.js';

export const registerPgBackups: Registrar = (program, context) => {
  appCommand(program, 'pg:backups', "list the backups of the app's postgres add-ons, newest first")
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const backups = await context.client().call('listPgBackups', { params: { app } });
      if (options.json) return printJson(backups);
      if (backups.length === 0) return print(`${app} has no postgres backups. Capture one with \`dozen pg:backups:capture -a ${app}\`.`);
      print(`=== ${app} postgres backups`);
      print(table([['id', 'add-on', 'created', 'size'], ...backups.map((b) => [b.id, b.addon, b.createdAt, megabytes(b.bytes)])]));
    });
};
