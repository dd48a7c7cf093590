import type { Registrar } from '../../command-kit.js';
import { print } from '../../output.js';

export const registerDown: Registrar = (program, context) => {
  program
    .command('down')
    .description('stop the platform (admin); the apps keep running and serving, unless --stop-apps')
    .option('--stop-apps', 'stop every app process and the router too (the apps are down until the next start)')
    .action(async (options: { stopApps?: boolean }) => {
      const answer = await context.client().call('platformDown', { body: { stopApps: options.stopApps === true } });
      print(answer.stopApps ? 'Stopping the platform, the router and every app process.' : 'Stopping the platform; the apps keep running and serving (`dozen up` adopts them).');
    });
};
