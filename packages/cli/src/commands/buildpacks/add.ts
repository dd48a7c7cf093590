import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { printBuildpacks } from './list.js';

export const registerBuildpacksAdd: Registrar = (program, context) => {
  appCommand(program, 'buildpacks:add', 'add a buildpack (at the end, or at --index N, from 1)')
    .argument('<buildpack>', 'node, procfile, /path/to/buildpack or https://host/repo.git#ref')
    .option('-i, --index <n>', 'position in the list, from 1')
    .action(async (buildpack: string, options: AppOptions & { index?: string }) => {
      const app = requireAppName(options);
      const client = context.client();
      const urls = (await client.call('listBuildpacks', { params: { app } })).map((b) => b.url);
      const index = options.index === undefined ? urls.length + 1 : Number(options.index);
      if (!Number.isInteger(index) || index < 1 || index > urls.length + 1) {
        throw new DozenError('CLI_USAGE', `--index ${options.index} is not a position from 1 to ${urls.length + 1}.`);
      }
      urls.splice(index - 1, 0, buildpack);
      printBuildpacks(app, await client.call('setBuildpacks', { params: { app }, body: { buildpacks: urls } }));
    });
};
