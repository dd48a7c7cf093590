import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';
import { dryRun, printReleasePlan } from '../../plan-output.js';

export const registerRollback: Registrar = (program, context) => {
  appCommand(program, 'rollback', 'make a new release from an earlier one (default: the one before the current)')
    .argument('[version]', 'the release to go back to, e.g. v3')
    .option('--dry-run', 'print the release it would make and what would start and stop; change nothing')
    .option('--json', 'print JSON')
    .action(async (version: string | undefined, options: AppOptions & { dryRun?: boolean }) => {
      const app = requireAppName(options);
      const body: { version?: number } = {};
      if (version !== undefined) {
        const match = /^v?(\d+)$/.exec(version);
        if (!match) throw new DozenError('CLI_USAGE', `${JSON.stringify(version)} is not a release version.`, { hint: 'Give a version like v3 (see `dozen releases`).' });
        body.version = Number(match[1]);
      }
      const release = await context.client().call('rollback', { params: { app }, body, ...dryRun(options) });
      if (options.json) return printJson(release);
      if ('dryRun' in release) return printReleasePlan(release, `Rolling ${app} back`);
      print(`${release.description}: ${app} is now at v${release.version}.`);
    });
};
