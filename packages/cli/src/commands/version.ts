import { DOZEN_VERSION } from '@dozen/contracts/version';
import type { Registrar } from '../command-kit.js';
import { print } from '../output.js';

export const registerVersion: Registrar = (program) => {
  program
    .command('version')
    .description('print the version')
    .action(() => print(`dozen/${DOZEN_VERSION} node-${process.version} ${process.platform}-${process.arch}`));
};
