import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { megabytes } from '../backups/download-file.js';

export const registerPgBackupsCapture: Registrar = (program, context) => {
  appCommand(program, 'pg:backups:capture', 'pg_dump a postgres add-on of the app now (default DATABASE_URL)')
    .argument('[addon]', 'add-on or attachment name')
    .option('--json', 'print JSON')
    .action(async (addon: string | undefined, options: AppOptions) => {
      const app = requireAppName(options);
      const backup = await context.client().call('capturePgBackup', { params: { app }, body: addon === undefined ? {} : { addon } });
      if (options.json) return printJson(backup);
      print(`Captured backup ${backup.id} of ${backup.addon} (${megabytes(backup.bytes)}).`);
    });
};
