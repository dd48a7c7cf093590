import type { Registrar } from '../command-kit.js';

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
