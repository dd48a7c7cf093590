import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';
import { pickBuild } from './pick.js';

export const registerBuildsInfo: Registrar = (program, context) => {
  appCommand(program, 'builds:info', 'one build: status, buildpacks, slug, release, phases with timings (default: the newest)')
    .argument('[build]', 'the build id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, options: AppOptions) => {
      const app = requireAppName(options);
      const build = await pickBuild(context.client(), app, id);
      if (options.json) return printJson(build);
      print(`=== ${app} build ${build.id}`);
      const rows = [
        ['Status:', build.status],
        ['Buildpacks:', build.buildpack ?? ''],
        ['Slug:', build.slug ?? ''],
        ['Release:', build.release === null ? '' : `v${build.release}`],
        ['Created:', build.createdAt],
        ['Finished:', build.finishedAt ?? ''],
      ];
      if (build.error) rows.push(['Error:', `${build.error.message} (${build.error.code})`]);
      for (const phase of build.phases) rows.push([`  ${phase.name}:`, `${(phase.ms / 1000).toFixed(2)} s`]);
      for (const warning of build.warnings) rows.push(['Warning:', warning]);
      print(table(rows));
    });
};
