import { regularFileExists } from '../../safe-files.js';
import type { Buildpack } from '../buildpack.js';

/** For apps that are only a Procfile and files (scripts, static binaries): nothing to compile. */
export const procfileBuildpack: Buildpack = {
  id: 'procfile',
  name: 'Procfile',
  async detect(context) {
    return (await regularFileExists(context.buildDir, 'Procfile')) ? 'Procfile' : null;
  },
  async compile(context) {
    context.output.line('       No build step: the Procfile runs the files as they are');
  },
  async release() {
    return {};
  },
};
