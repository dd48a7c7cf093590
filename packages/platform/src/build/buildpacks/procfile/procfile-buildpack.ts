import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Buildpack } from '../buildpack.js';

/** For apps that are only a Procfile and files (scripts, static binaries): nothing to compile. */
export const procfileBuildpack: Buildpack = {
  id: 'procfile',
  name: 'Procfile',
  async detect(buildDir) {
    return access(join(buildDir, 'Procfile')).then(
      () => true,
      () => false,
    );
  },
  async compile(context) {
    context.output.line('       No build step: the Procfile runs the files as they are');
  },
  async defaultProcessTypes() {
    return {};
  },
};
