import { resolve } from 'node:path';
import type { Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

/**
 * `dozen backups:restore FILE` runs offline, in this process, on DOZEN_DATA_DIR (like `dozen up`,
 * the CLI reaches into the platform package): the platform is not running on that data dir.
 */
export const registerBackupsRestore: Registrar = (program) => {
  program
    .command('backups:restore')
    .description('restore an archive onto an empty data dir (DOZEN_DATA_DIR, platform stopped; needs the backed-up DOZEN_SECRET_KEY or key file)')
    .argument('<file>', 'the archive (backups:create --to, or backups:download)')
    .action(async (file: string) => {
      const { restore } = await import('@dozen/platform');
      const done = await restore(resolve(file), (line) => print(line));
      print(`Restored backup ${done.id} (${done.apps} apps). Start the platform with \`dozen up\`: its apps come back with their add-ons' data.`);
    });
};
