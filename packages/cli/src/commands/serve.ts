import { Argument } from 'commander';
import type { Registrar } from '../command-kit.js';

/**
 * `dozen serve api|router|builder|runtime` runs one role of a cluster in this process (the roles
 * share one PostgreSQL store: docs/scale-out.md). Like `dozen up`, it reaches into the platform
 * package; `dozen up` runs every role in one process.
 */
export const registerServe: Registrar = (program) => {
  program
    .command('serve')
    .description('run one role of a cluster in this process: api, router, builder or runtime (DATABASE_URL=postgres://… and DOZEN_CLUSTER_TOKEN; docs/scale-out.md)')
    .addArgument(new Argument('<role>', 'the role this process runs').choices(['api', 'router', 'builder', 'runtime']))
    .option('--stop-apps', 'router only: SIGTERM/SIGINT stop every app process of the host with the router (without it a first signal is refused; the same signal within 10 s confirms)')
    .action(async (role: string, options: { stopApps?: boolean }) => {
      const { serve } = await import('@dozen/platform');
      await serve(role, { stopApps: options.stopApps === true });
    });
};
