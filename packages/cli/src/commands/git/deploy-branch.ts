import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

/** Shows or sets which branch deploys when pushed (default: main or master). */
export const registerGitDeployBranch: Registrar = (program, context) => {
  appCommand(program, 'git:deploy-branch', 'show or set the branch whose pushes deploy (default: main or master)')
    .argument('[branch]', 'the branch that deploys from now on')
    .option('--reset', 'go back to the default: main or master')
    .option('--json', 'print JSON')
    .action(async (branch: string | undefined, options: AppOptions & { reset?: boolean }) => {
      const app = requireAppName(options);
      if (branch !== undefined && options.reset) throw new DozenError('CLI_USAGE', 'Give a branch or --reset, not both.');
      const client = context.client();
      const info =
        branch === undefined && !options.reset
          ? await client.call('getGit', { params: { app } })
          : await client.call('updateGit', { params: { app }, body: { deployBranch: branch ?? null } });
      if (options.json) return printJson(info);
      const which = info.deployBranches.join(' or ');
      print(branch === undefined && !options.reset ? `Pushes to ${which} deploy ${app}.` : `From now on, pushes to ${which} deploy ${app}.`);
    });
};
