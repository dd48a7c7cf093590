import type { Registrar } from '../command-kit.js';
import { quitOnClosedOutput } from '../closed-output.js';
import { printError } from '../output.js';

/**
 * `dozen up` runs the platform itself, in this process. The one place where the CLI reaches into
 * the platform package: everything else goes through the API.
 */
export const registerUp: Registrar = (program) => {
  program
    .command('up')
    .description('start the platform: API, router, builder and runtime in one process (config from DOZEN_* env)')
    .action(async () => {
      const { up } = await import('@dozen/platform');
      await up();
    });
};

/**
 * A plain `dozen up` as bin/dozen.js starts it: the platform without commander and the command
 * table, which a process that runs for days would keep in memory for nothing (docs/decisions.md,
 * "Idle memory"). A failed start is printed as every CLI error is, with exit status 1.
 */
export async function runUp(): Promise<void> {
  quitOnClosedOutput();
  try {
    const { up } = await import('@dozen/platform');
    await up();
  } catch (error) {
    printError(error, false);
    process.exitCode = 1;
  }
}
