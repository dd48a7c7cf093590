import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerPgBackupsRestore: Registrar = (program, context) => {
  appCommand(program, 'pg:backups:restore', "replace a postgres add-on's database with a backup (default: the newest backup, into DATABASE_URL's add-on)")
    .argument('[backup]', 'the backup id (`dozen pg:backups`), or latest')
    .argument('[addon]', 'the add-on to restore into (default: the backup\'s own)')
    .option('--confirm <app>', 'the app name, to confirm that the database is replaced')
    .action(async (backup: string | undefined, addon: string | undefined, options: AppOptions & { confirm?: string }) => {
      const app = requireAppName(options);
      const body = { ...(addon === undefined ? {} : { addon }), ...(options.confirm === undefined ? {} : { confirm: options.confirm }) };
      const done = await context.client().call('restorePgBackup', { params: { app, backup: backup ?? 'latest' }, body });
      print(`Restored backup ${done.id} (of ${done.addon}, ${done.createdAt}) into ${done.into}.`);
    });
};
