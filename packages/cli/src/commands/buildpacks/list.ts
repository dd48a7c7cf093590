import type { Buildpack } from '@dozen/contracts';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export function printBuildpacks(app: string, buildpacks: Buildpack[]): void {
  if (buildpacks.length === 0) return print(`${app} has no buildpacks set: app.json \`buildpacks\` or detection decides.`);
  print(`=== ${app} buildpacks`);
  for (const b of buildpacks) print(`${b.ordinal}. ${b.url}`);
}

export const registerBuildpacksList: Registrar = (program, context) => {
  appCommand(program, 'buildpacks', 'the buildpacks set for an app, in order')
    .option('--json', 'print JSON')
    .action(async (options: AppOptions) => {
      const app = requireAppName(options);
      const buildpacks = await context.client().call('listBuildpacks', { params: { app } });
      if (options.json) return printJson(buildpacks);
      printBuildpacks(app, buildpacks);
    });
};
